// Metric aggregations: min, max, sum, avg, value_count, stats, cardinality.
import type { NumericColumn } from "../index/NumericColumn.ts";
import type { DateFormat } from "../time/dateFormat.ts";
import { parsingError } from "../errors.ts";
import type { FieldMapper } from "../mapping/types.ts";
import { type AggIndexContext, Aggregator, type BuildContext, growF64 } from "./aggregator.ts";
import { asKeyword, asNumeric, bind, fieldParam, valueFormat } from "./fields.ts";
import type { AggNode } from "./parse.ts";

function checkKeys(node: AggNode, allowed: string[]): void {
  for (const k of Object.keys(node.body)) {
    if (!allowed.includes(k)) throw parsingError(`[${node.type}] unknown field [${k}]`);
  }
}

function missingNumber(node: AggNode): number | null {
  const m = node.body.missing;
  if (m === undefined || m === null) return null;
  const n = Number(m);
  if (Number.isNaN(n)) throw parsingError(`[${node.type}] [missing] must be a number for numeric aggregations`);
  return n;
}

const MIN = 1;
const MAX = 2;
const SUM = 3;
const STATS = 4;

/** Accumulates count, sum (Kahan), min and max per bucket; the five numeric metrics share it. */
export class NumericStatsAggregator extends Aggregator {
  private readonly type: "min" | "max" | "sum" | "avg" | "stats";
  private readonly code: number;
  private readonly path: string;
  private readonly missing: number | null;
  private readonly formatSpec: unknown;
  private col: NumericColumn | null = null;
  private field: FieldMapper | null = null;
  private fieldFormat: DateFormat | null = null;
  private formatResolved = false;
  private counts = new Float64Array(4);
  private sums = new Float64Array(4);
  private comps = new Float64Array(4);
  private mins = new Float64Array(4).fill(Infinity);
  private maxs = new Float64Array(4).fill(-Infinity);

  constructor(node: AggNode) {
    super(node.name, []);
    checkKeys(node, ["field", "missing", "format", "value_type"]);
    this.type = node.type as NumericStatsAggregator["type"];
    this.code = this.type === "min" ? MIN : this.type === "max" ? MAX : this.type === "stats" ? STATS : SUM;
    this.path = fieldParam(node.body, node.type, node.name)!;
    this.missing = missingNumber(node);
    this.formatSpec = node.body.format;
  }

  override setIndex(ctx: AggIndexContext): void {
    const b = bind(ctx.index, this.path, this.type, "numeric");
    this.col = asNumeric(b);
    if (b.field && !this.field) this.field = b.field;
    if (!this.formatResolved && b.field) {
      this.fieldFormat = valueFormat(b.field, this.formatSpec);
      this.formatResolved = true;
    }
  }

  private grow(owner: number): void {
    this.counts = growF64(this.counts, owner, 0);
    this.sums = growF64(this.sums, owner, 0);
    this.comps = growF64(this.comps, owner, 0);
    this.mins = growF64(this.mins, owner, Infinity);
    this.maxs = growF64(this.maxs, owner, -Infinity);
  }

  /** Hot path: only what the metric needs (min and max skip the sum, sum skips min/max). */
  private add(owner: number, v: number): void {
    if (owner >= this.counts.length) this.grow(owner);
    this.counts[owner]!++;
    const code = this.code;
    if (code === MIN) {
      if (v < this.mins[owner]!) this.mins[owner] = v;
      return;
    }
    if (code === MAX) {
      if (v > this.maxs[owner]!) this.maxs[owner] = v;
      return;
    }
    // Kahan summation like OpenSearch's sum/avg/stats
    const y = v - this.comps[owner]!;
    const t = this.sums[owner]! + y;
    this.comps[owner] = t - this.sums[owner]! - y;
    this.sums[owner] = t;
    if (code === STATS) {
      if (v < this.mins[owner]!) this.mins[owner] = v;
      if (v > this.maxs[owner]!) this.maxs[owner] = v;
    }
  }

  collect(slot: number, owner: number): void {
    const col = this.col;
    if (col !== null) {
      const st = col.state[slot];
      if (st === 1) {
        this.add(owner, col.values[slot]!);
        return;
      }
      if (st === 2) {
        for (const v of col.multi.get(slot)!) this.add(owner, v);
        return;
      }
    }
    if (this.missing !== null) this.add(owner, this.missing);
  }

  private stat(owner: number): { count: number; sum: number; min: number; max: number } {
    if (owner < 0 || owner >= this.counts.length) return { count: 0, sum: 0, min: Infinity, max: -Infinity };
    return { count: this.counts[owner]!, sum: this.sums[owner]!, min: this.mins[owner]!, max: this.maxs[owner]! };
  }

  override sortValue(owner: number, prop: string | null): number {
    const s = this.stat(owner);
    const which = this.type === "stats" ? prop : prop === null || prop === "value" ? this.type : null;
    switch (which) {
      case "min":
        return s.min;
      case "max":
        return s.max;
      case "sum":
        return s.sum;
      case "avg":
        return s.count === 0 ? NaN : s.sum / s.count;
      case "count":
        return s.count;
      default:
        return super.sortValue(owner, prop);
    }
  }

  build(owner: number, _ctx: BuildContext): Record<string, unknown> {
    const s = this.stat(owner);
    const fmt = this.fieldFormat;
    const single = (value: number | null): Record<string, unknown> => {
      const r: Record<string, unknown> = { value };
      if (fmt && value !== null) r.value_as_string = fmt.format(value);
      return r;
    };
    switch (this.type) {
      case "min":
        return single(s.count === 0 ? null : s.min);
      case "max":
        return single(s.count === 0 ? null : s.max);
      case "sum":
        return single(s.sum);
      case "avg":
        return single(s.count === 0 ? null : s.sum / s.count);
      case "stats": {
        const r: Record<string, unknown> = {
          count: s.count,
          min: s.count === 0 ? null : s.min,
          max: s.count === 0 ? null : s.max,
          avg: s.count === 0 ? null : s.sum / s.count,
          sum: s.sum,
        };
        if (fmt && s.count > 0) {
          r.min_as_string = fmt.format(s.min);
          r.max_as_string = fmt.format(s.max);
          r.avg_as_string = fmt.format(s.sum / s.count);
          r.sum_as_string = fmt.format(s.sum);
        }
        return r;
      }
    }
  }
}

/** value_count: number of values (numbers or keywords). */
export class ValueCountAggregator extends Aggregator {
  private readonly path: string;
  private counts = new Float64Array(4);
  private collectFn: (slot: number, owner: number) => void = () => {};

  constructor(node: AggNode) {
    super(node.name, []);
    checkKeys(node, ["field", "missing", "format", "value_type"]);
    this.path = fieldParam(node.body, node.type, node.name)!;
  }

  override setIndex(ctx: AggIndexContext): void {
    const b = bind(ctx.index, this.path, "value_count", "any");
    const num = asNumeric(b);
    const kw = asKeyword(b);
    const inc = (owner: number, n: number): void => {
      if (owner >= this.counts.length) this.counts = growF64(this.counts, owner, 0);
      this.counts[owner]! += n;
    };
    if (num) {
      this.collectFn = (slot, owner) => {
        const st = num.state[slot];
        if (st === 1) inc(owner, 1);
        else if (st === 2) inc(owner, num.multi.get(slot)!.length);
      };
    } else if (kw) {
      this.collectFn = (slot, owner) => {
        const o = kw.ords[slot]!;
        if (o >= 0) inc(owner, 1);
        else if (o === -2) inc(owner, kw.multi.get(slot)!.length);
      };
    } else this.collectFn = () => {};
  }

  collect(slot: number, owner: number): void {
    this.collectFn(slot, owner);
  }

  override sortValue(owner: number, prop: string | null): number {
    if (prop !== null && prop !== "value") return super.sortValue(owner, prop);
    return this.counts[owner] ?? 0;
  }

  build(owner: number): Record<string, unknown> {
    return { value: owner >= 0 ? (this.counts[owner] ?? 0) : 0 };
  }
}

/** cardinality: exact distinct count (OpenSearch's HyperLogLog++ is exact below its precision threshold). */
export class CardinalityAggregator extends Aggregator {
  private readonly path: string;
  private readonly missing: unknown;
  private sets: (Set<number | string> | undefined)[] = [];
  private collectFn: (slot: number, owner: number) => void = () => {};

  constructor(node: AggNode) {
    super(node.name, []);
    checkKeys(node, ["field", "missing", "precision_threshold", "execution_hint", "format"]);
    this.path = fieldParam(node.body, node.type, node.name)!;
    this.missing = node.body.missing;
  }

  private setFor(owner: number): Set<number | string> {
    let s = this.sets[owner];
    if (!s) {
      s = new Set();
      this.sets[owner] = s;
    }
    return s;
  }

  override setIndex(ctx: AggIndexContext): void {
    const b = bind(ctx.index, this.path, "cardinality", "any");
    const num = asNumeric(b);
    const kw = asKeyword(b);
    const missing = this.missing;
    const addMissing = (owner: number): void => {
      if (missing !== undefined && missing !== null) this.setFor(owner).add(typeof missing === "number" ? missing : String(missing));
    };
    if (num) {
      this.collectFn = (slot, owner) => {
        const st = num.state[slot];
        if (st === 1) this.setFor(owner).add(num.values[slot]!);
        else if (st === 2) for (const v of num.multi.get(slot)!) this.setFor(owner).add(v);
        else addMissing(owner);
      };
    } else if (kw) {
      this.collectFn = (slot, owner) => {
        const o = kw.ords[slot]!;
        if (o >= 0) this.setFor(owner).add(kw.term(o));
        else if (o === -2) for (const x of kw.multi.get(slot)!) this.setFor(owner).add(kw.term(x));
        else addMissing(owner);
      };
    } else this.collectFn = (_slot, owner) => addMissing(owner);
  }

  collect(slot: number, owner: number): void {
    this.collectFn(slot, owner);
  }

  override sortValue(owner: number, prop: string | null): number {
    if (prop !== null && prop !== "value") return super.sortValue(owner, prop);
    return this.sets[owner]?.size ?? 0;
  }

  build(owner: number): Record<string, unknown> {
    return { value: owner >= 0 ? (this.sets[owner]?.size ?? 0) : 0 };
  }
}
