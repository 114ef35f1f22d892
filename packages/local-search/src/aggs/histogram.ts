// date_histogram (fixed_interval, calendar_interval, time_zone, offset,
// extended_bounds, hard_bounds, min_doc_count) and numeric histogram.
import type { NumericColumn } from "../index/NumericColumn.ts";
import { compileDateFormat, type DateFormat, DEFAULT_DATE_FORMAT } from "../time/dateFormat.ts";
import { addUnits, type CalendarUnit, parseDateMath, roundDown } from "../time/dateMath.ts";
import { illegalArgument, LOCAL, parsingError, SearchError } from "../errors.ts";
import { parseTimeZone, toLocal, toUtc, type TimeZone, UTC } from "../time/timeZone.ts";
import { type AggIndexContext, Aggregator, type BuildContext, growI32 } from "./aggregator.ts";
import { asNumeric, bind, fieldParam } from "./fields.ts";
import type { AggNode } from "./parse.ts";
import { type BucketOrder, orderValue, parseOrder } from "./terms.ts";

export const MAX_BUCKETS = 65535;

const CALENDAR: Record<string, CalendarUnit> = {
  minute: "minute", "1m": "minute",
  hour: "hour", "1h": "hour",
  day: "day", "1d": "day",
  week: "week", "1w": "week",
  month: "month", "1M": "month",
  quarter: "quarter", "1q": "quarter",
  year: "year", "1y": "year",
};

const FIXED_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseFixedInterval(v: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(v.trim());
  if (!m || Number(m[1]) <= 0) {
    throw illegalArgument(`failed to parse setting [date_histogram.fixedInterval] with value [${v}] as a time value: unit is missing or unrecognized`);
  }
  return Number(m[1]) * FIXED_UNITS[m[2]!]!;
}

function parseOffset(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number") return v;
  const s = String(v).trim();
  const sign = s.startsWith("-") ? -1 : 1;
  const body = s.replace(/^[+-]/, "");
  return sign * parseFixedInterval(body);
}

function tooManyBuckets(n: number): SearchError {
  return new SearchError(400, "too_many_buckets_exception", `Trying to create too many buckets. Must be less than or equal to: [${MAX_BUCKETS}] but was [${n}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`, {
    extra: { max_buckets: MAX_BUCKETS },
  });
}

interface Rounding {
  /** Start of the bucket containing t. */
  round(t: number): number;
  /** Start of the following bucket. */
  next(key: number): number;
}

function fixedRounding(interval: number, offset: number, zone: TimeZone): Rounding {
  if (zone.fixed !== null) {
    const shift = zone.fixed - offset;
    return {
      round: (t) => Math.floor((t + shift) / interval) * interval - shift,
      next: (k) => k + interval,
    };
  }
  const round = (t: number): number => toUtc(Math.floor((toLocal(t, zone) - offset) / interval) * interval + offset, zone);
  return { round, next: (k) => nextFixed(k, interval, round) };
}

function nextFixed(k: number, interval: number, round: (t: number) => number): number {
  let t = k + interval;
  let r = round(t);
  while (r <= k) {
    t += interval;
    r = round(t);
  }
  return r;
}

function calendarRounding(unit: CalendarUnit, offset: number, zone: TimeZone): Rounding {
  return {
    round: (t) => roundDown(t - offset, unit, zone) + offset,
    next: (k) => addUnits(k - offset, unit, 1, zone) + offset,
  };
}

export class HistogramAggregator extends Aggregator {
  private readonly isDate: boolean;
  private readonly path: string;
  private readonly rounding: Rounding;
  private readonly minDocCount: number;
  private readonly extended: { min: number; max: number } | null;
  private readonly hard: { min: number | null; max: number | null } | null;
  private readonly order: BucketOrder[];
  private readonly keyed: boolean;
  private readonly formatSpec: string | null;
  private format: DateFormat | null = null;
  private readonly zone: TimeZone;
  private readonly missing: number | null;

  private keys: number[] = [];
  private counts = new Int32Array(16);
  private byOwner: Map<number, number>[] = [];
  private ownerOrds: number[][] = [];
  private col: NumericColumn | null = null;
  // last-bucket cache for the common case of time-ordered documents
  private lastOwner = -1;
  private lastStart = 0;
  private lastEnd = -1;
  private lastOrd = -1;

  constructor(node: AggNode, subs: Aggregator[]) {
    super(node.name, subs);
    const b = node.body;
    this.isDate = node.type === "date_histogram";
    const allowed = this.isDate
      ? ["field", "fixed_interval", "calendar_interval", "interval", "format", "time_zone", "offset", "min_doc_count", "extended_bounds", "hard_bounds", "order", "keyed", "missing"]
      : ["field", "interval", "offset", "min_doc_count", "extended_bounds", "hard_bounds", "order", "keyed", "missing", "format"];
    for (const k of Object.keys(b)) if (!allowed.includes(k)) throw parsingError(`[${node.type}] unknown field [${k}]`);
    this.path = fieldParam(b, node.type, node.name)!;
    this.zone = b.time_zone === undefined ? UTC : parseTimeZone(String(b.time_zone));
    this.formatSpec = b.format === undefined ? null : String(b.format);
    this.missing = b.missing === undefined || b.missing === null ? null : Number(b.missing);
    const offset = parseOffset(b.offset);
    if (this.isDate) {
      if (b.interval !== undefined) throw parsingError(`[date_histogram] [interval] is deprecated and not supported by ${LOCAL}; use [fixed_interval] or [calendar_interval]`);
      const fixed = b.fixed_interval;
      const cal = b.calendar_interval;
      if (fixed !== undefined && cal !== undefined) throw illegalArgument("Cannot use [fixed_interval] with [calendar_interval] configuration option.");
      if (fixed === undefined && cal === undefined) throw illegalArgument(`Invalid interval specified, must be non-null and non-empty`);
      if (cal !== undefined) {
        const unit = CALENDAR[String(cal)];
        if (!unit) throw illegalArgument(`The supplied interval [${String(cal)}] could not be parsed as a calendar interval.`);
        this.rounding = calendarRounding(unit, offset, this.zone);
      } else {
        const s = String(fixed);
        if (/^\d+[Mqyw]$/.test(s)) throw illegalArgument(`failed to parse setting [date_histogram.fixedInterval] with value [${s}] as a time value: unit is missing or unrecognized`);
        this.rounding = fixedRounding(parseFixedInterval(s), offset, this.zone);
      }
    } else {
      const interval = Number(b.interval);
      if (!(interval > 0)) throw illegalArgument(`[interval] must be >0 for histogram aggregation [${node.name}]`);
      this.rounding = { round: (v) => Math.floor((v - offset) / interval) * interval + offset, next: (k) => k + interval };
    }
    this.minDocCount = b.min_doc_count === undefined ? 0 : Number(b.min_doc_count);
    this.order = parseOrder(b.order, node.type);
    this.keyed = b.keyed === true;
    this.extended = this.bounds(b.extended_bounds, "extended_bounds", true) as { min: number; max: number } | null;
    this.hard = this.bounds(b.hard_bounds, "hard_bounds", false);
  }

  private bounds(v: unknown, what: string, both: boolean): { min: number; max: number } | { min: number | null; max: number | null } | null {
    if (v === undefined) return null;
    if (typeof v !== "object" || v === null) throw parsingError(`[${what}] must be an object`);
    const o = v as Record<string, unknown>;
    const fmt = compileDateFormat(this.formatSpec ?? DEFAULT_DATE_FORMAT);
    const conv = (x: unknown): number | null => {
      if (x === undefined || x === null) return null;
      if (!this.isDate) return Number(x);
      return parseDateMath(typeof x === "number" ? x : String(x), fmt, { zone: this.zone });
    };
    const min = conv(o.min);
    const max = conv(o.max);
    if (both && (min === null || max === null)) {
      // OpenSearch accepts a half-open extended_bounds; the missing side is the data's
      return { min: min ?? Infinity, max: max ?? -Infinity };
    }
    if (min !== null && max !== null && min > max) throw illegalArgument(`[${what}.min][${min}] cannot be greater than [${what}.max][${max}] for histogram aggregation [${this.name}]`);
    return { min, max };
  }

  override setIndex(ctx: AggIndexContext): void {
    super.setIndex(ctx);
    const b = bind(ctx.index, this.path, this.isDate ? "date_histogram" : "histogram", "numeric");
    this.col = asNumeric(b);
    if (!this.format) {
      if (this.isDate) this.format = this.formatSpec !== null ? compileDateFormat(this.formatSpec) : b.field && b.field.type === "date" ? b.field.dateFormat : compileDateFormat(DEFAULT_DATE_FORMAT);
      else if (this.formatSpec !== null) throw illegalArgument(`[format] on [histogram] is not supported by ${LOCAL}`);
    }
    this.lastOwner = -1;
  }

  private bucketFor(owner: number, key: number): number {
    let m = this.byOwner[owner];
    if (!m) {
      m = new Map();
      this.byOwner[owner] = m;
      this.ownerOrds[owner] = [];
    }
    let ord = m.get(key);
    if (ord === undefined) {
      ord = this.keys.length;
      if (ord >= MAX_BUCKETS) throw tooManyBuckets(ord + 1);
      this.keys.push(key);
      m.set(key, ord);
      this.ownerOrds[owner]!.push(ord);
      this.counts = growI32(this.counts, ord);
    }
    return ord;
  }

  private add(slot: number, owner: number, v: number): void {
    const hard = this.hard;
    if (hard && ((hard.min !== null && v < hard.min) || (hard.max !== null && v >= hard.max))) return;
    let ord: number;
    if (owner === this.lastOwner && v >= this.lastStart && v < this.lastEnd) ord = this.lastOrd;
    else {
      const key = this.rounding.round(v);
      ord = this.bucketFor(owner, key);
      this.lastOwner = owner;
      this.lastStart = key;
      this.lastEnd = this.rounding.next(key);
      this.lastOrd = ord;
    }
    this.counts[ord]!++;
    const subs = this.subs;
    for (let i = 0; i < subs.length; i++) subs[i]!.collect(slot, ord);
  }

  collect(slot: number, owner: number): void {
    const col = this.col;
    if (col !== null) {
      const st = col.state[slot];
      if (st === 1) {
        this.add(slot, owner, col.values[slot]!);
        return;
      }
      if (st === 2) {
        const seen = new Set<number>();
        for (const v of col.multi.get(slot)!) {
          const k = this.rounding.round(v);
          if (seen.has(k)) continue;
          seen.add(k);
          this.add(slot, owner, v);
        }
        return;
      }
    }
    if (this.missing !== null) this.add(slot, owner, this.missing);
  }

  build(owner: number, ctx: BuildContext): Record<string, unknown> {
    const ords = owner >= 0 ? [...(this.ownerOrds[owner] ?? [])] : [];
    const entries: { key: number; ord: number }[] = ords.map((o) => ({ key: this.keys[o]!, ord: o }));
    entries.sort((a, b) => a.key - b.key);
    let list: { key: number; ord: number }[] = entries;
    if (this.minDocCount === 0) {
      let lo = entries.length > 0 ? entries[0]!.key : Infinity;
      let hi = entries.length > 0 ? entries[entries.length - 1]!.key : -Infinity;
      if (this.extended) {
        if (Number.isFinite(this.extended.min)) lo = Math.min(lo, this.rounding.round(this.extended.min));
        if (Number.isFinite(this.extended.max)) hi = Math.max(hi, this.rounding.round(this.extended.max));
      }
      if (this.hard) {
        if (this.hard.min !== null) lo = Math.max(lo, this.rounding.round(this.hard.min));
        if (this.hard.max !== null) hi = Math.min(hi, this.rounding.round(this.hard.max - 1));
      }
      if (lo <= hi) {
        const byKey = new Map(entries.map((e) => [e.key, e.ord] as const));
        list = [];
        for (let k = lo; k <= hi; k = this.rounding.next(k)) {
          list.push({ key: k, ord: byKey.get(k) ?? -1 });
          if (list.length > MAX_BUCKETS) throw tooManyBuckets(list.length);
        }
      }
    } else {
      list = entries.filter((e) => this.counts[e.ord]! >= this.minDocCount);
    }
    const count = (e: { ord: number }): number => (e.ord >= 0 ? this.counts[e.ord]! : 0);
    if (this.order.length > 0) {
      list.sort((a, b) => {
        for (const o of this.order) {
          const dir = o.asc ? 1 : -1;
          let c: number;
          if (o.by === "_key") c = a.key - b.key;
          else if (o.by === "_count") c = count(a) - count(b);
          else c = orderValue(this, o.by, a.ord) - orderValue(this, o.by, b.ord);
          if (c !== 0 && !Number.isNaN(c)) return dir * c;
        }
        return a.key - b.key;
      });
    }
    const render = (e: { key: number; ord: number }): Record<string, unknown> => {
      const bucket: Record<string, unknown> = {};
      if (this.format) bucket.key_as_string = this.format.format(e.key, this.zone);
      bucket.key = e.key;
      bucket.doc_count = count(e);
      return this.buildSubs(e.ord, ctx, bucket);
    };
    if (this.keyed) {
      const buckets: Record<string, unknown> = {};
      for (const e of list) buckets[this.format ? this.format.format(e.key, this.zone) : String(e.key)] = render(e);
      return { buckets };
    }
    return { buckets: list.map(render) };
  }
}
