// terms aggregation over keyword, numeric, date and boolean fields.
import type { KeywordColumn } from "../index/KeywordColumn.ts";
import type { NumericColumn } from "../index/NumericColumn.ts";
import { utf8Compare } from "../text/utf8Compare.ts";
import type { DateFormat } from "../time/dateFormat.ts";
import { LOCAL, parsingError, SearchError } from "../errors.ts";
import type { FieldMapper } from "../mapping/types.ts";
import { type AggIndexContext, Aggregator, type BuildContext, compareNumbers, growI32 } from "./aggregator.ts";
import { asKeyword, asNumeric, bind, fieldParam, valueFormat } from "./fields.ts";
import type { AggNode } from "./parse.ts";

export interface BucketOrder {
  /** "_count", "_key" or a sub-aggregation path */
  by: string;
  asc: boolean;
}

export function parseOrder(v: unknown, agg: string): BucketOrder[] {
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((o) => {
    if (typeof o !== "object" || o === null || Array.isArray(o) || Object.keys(o).length !== 1) {
      throw parsingError(`[${agg}] [order] must be an object with a single key, or an array of those`);
    }
    const [by, dir] = Object.entries(o as Record<string, unknown>)[0]!;
    const d = String(dir).toLowerCase();
    if (d !== "asc" && d !== "desc") throw parsingError(`Unknown order direction [${String(dir)}]`);
    return { by: by === "_term" ? "_key" : by, asc: d === "asc" };
  });
}

/** Resolves "agg", "agg.prop", "a>b.prop" under an aggregator to a numeric value for a bucket. */
export function orderValue(parent: Aggregator, path: string, ord: number): number {
  const steps = path.split(">");
  let agg: Aggregator = parent;
  for (let i = 0; i < steps.length; i++) {
    let step = steps[i]!;
    let prop: string | null = null;
    const bracket = /^(.*)\[(.*)\]$/.exec(step);
    if (bracket) throw parsingError(`[order] bucket key paths (${step}) are not supported by ${LOCAL}`);
    if (i === steps.length - 1 && step.includes(".")) {
      const dot = step.indexOf(".");
      prop = step.slice(dot + 1);
      step = step.slice(0, dot);
    }
    const sub = agg.findSub(step);
    if (i === steps.length - 1) return sub.sortValue(ord, prop);
    agg = sub;
    // single-bucket aggregations (filter, missing) keep the same ordinal
  }
  return 0;
}

export class TermsAggregator extends Aggregator {
  private readonly path: string;
  private readonly size: number;
  private readonly minDocCount: number;
  private readonly order: BucketOrder[];
  private readonly include: ((k: string | number) => boolean) | null;
  private readonly missing: string | number | null;
  private readonly formatSpec: unknown;
  private field: FieldMapper | null = null;
  private format: DateFormat | null = null;
  private keyKind: "string" | "number" | null = null;

  // global buckets
  private keys: (string | number)[] = [];
  private counts = new Int32Array(16);
  private byOwner: Map<string | number, number>[] = [];
  private ownerOrds: number[][] = [];
  // per index
  private kw: KeywordColumn | null = null;
  private num: NumericColumn | null = null;
  private local: (Int32Array | undefined)[] = [];
  private allowed: Uint8Array | null = null;
  private zeroCountKeys = new Set<string | number>();

  constructor(node: AggNode, subs: Aggregator[]) {
    super(node.name, subs);
    const b = node.body;
    for (const k of Object.keys(b)) {
      if (!["field", "size", "shard_size", "min_doc_count", "shard_min_doc_count", "order", "include", "exclude", "missing", "format", "execution_hint", "collect_mode", "show_term_doc_count_error", "value_type"].includes(k)) {
        throw parsingError(`[terms] unknown field [${k}]`);
      }
    }
    this.path = fieldParam(b, "terms", node.name)!;
    this.size = b.size === undefined ? 10 : Number(b.size);
    if (!Number.isInteger(this.size) || this.size <= 0) throw new SearchError(400, "illegal_argument_exception", `[size] must be greater than 0. Found [${String(b.size)}] in [${node.name}]`);
    this.minDocCount = b.min_doc_count === undefined ? 1 : Number(b.min_doc_count);
    this.order = parseOrder(b.order, "terms");
    this.missing = b.missing === undefined || b.missing === null ? null : (b.missing as string | number);
    this.formatSpec = b.format;
    this.include = buildIncludeExclude(b.include, b.exclude);
  }

  private bucketFor(owner: number, key: string | number): number {
    let m = this.byOwner[owner];
    if (!m) {
      m = new Map();
      this.byOwner[owner] = m;
      this.ownerOrds[owner] = [];
    }
    let ord = m.get(key);
    if (ord === undefined) {
      ord = this.keys.length;
      this.keys.push(key);
      m.set(key, ord);
      this.ownerOrds[owner]!.push(ord);
      this.counts = growI32(this.counts, ord);
    }
    return ord;
  }

  override setIndex(ctx: AggIndexContext): void {
    super.setIndex(ctx);
    const b = bind(ctx.index, this.path, "terms", "any");
    if (b.field && !this.field) {
      this.field = b.field;
      this.format = valueFormat(b.field, this.formatSpec);
    }
    this.kw = asKeyword(b);
    this.num = asNumeric(b);
    const kind = this.kw ? "string" : this.num ? "number" : null;
    if (kind && this.keyKind && kind !== this.keyKind) {
      throw new SearchError(400, "aggregation_execution_exception", `Merging/Reducing the aggregations failed when computing the aggregation [${this.name}] because the field you gave in the aggregation query existed as two different types in two different indices`);
    }
    if (kind) this.keyKind = kind;
    this.local = [];
    this.allowed = null;
    if (this.kw && this.include) {
      const kw = this.kw;
      this.allowed = new Uint8Array(kw.termCount);
      for (let i = 0; i < kw.termCount; i++) if (this.include(kw.term(i))) this.allowed[i] = 1;
    }
    if (this.minDocCount === 0 && this.kw) {
      for (let i = 0; i < this.kw.termCount; i++) {
        const t = this.kw.term(i);
        if (!this.include || this.include(t)) this.zeroCountKeys.add(t);
      }
    }
  }

  private collectOrd(slot: number, owner: number, o: number): void {
    const kw = this.kw!;
    if (this.allowed && this.allowed[o] !== 1) return;
    let bucket: number;
    if (kw.termCount <= 4096) {
      let lm = this.local[owner];
      if (!lm) {
        lm = new Int32Array(kw.termCount).fill(-1);
        this.local[owner] = lm;
      }
      bucket = lm[o]!;
      if (bucket < 0) {
        bucket = this.bucketFor(owner, kw.term(o));
        lm[o] = bucket;
      }
    } else bucket = this.bucketFor(owner, kw.term(o));
    this.counts[bucket]!++;
    for (const s of this.subs) s.collect(slot, bucket);
  }

  private collectKey(slot: number, owner: number, key: string | number): void {
    if (this.include && !this.include(key)) return;
    const bucket = this.bucketFor(owner, key);
    this.counts[bucket]!++;
    for (const s of this.subs) s.collect(slot, bucket);
  }

  collect(slot: number, owner: number): void {
    const kw = this.kw;
    if (kw !== null) {
      const o = kw.ords[slot]!;
      if (o >= 0) this.collectOrd(slot, owner, o);
      else if (o === -2) for (const x of kw.multi.get(slot)!) this.collectOrd(slot, owner, x);
      else if (this.missing !== null) this.collectKey(slot, owner, String(this.missing));
      return;
    }
    const num = this.num;
    if (num !== null) {
      const st = num.state[slot];
      if (st === 1) this.collectKey(slot, owner, num.values[slot]!);
      else if (st === 2) for (const v of new Set(num.multi.get(slot)!)) this.collectKey(slot, owner, v);
      else if (this.missing !== null) this.collectKey(slot, owner, Number(this.missing));
      return;
    }
    if (this.missing !== null) this.collectKey(slot, owner, this.missing);
  }

  build(owner: number, ctx: BuildContext): Record<string, unknown> {
    let ords = owner >= 0 ? [...(this.ownerOrds[owner] ?? [])] : [];
    if (this.minDocCount === 0 && owner >= 0) {
      for (const k of this.zeroCountKeys) ords.push(this.bucketFor(owner, k));
      ords = [...new Set(ords)];
    }
    ords = ords.filter((o) => this.counts[o]! >= this.minDocCount);
    const cmp = this.comparator();
    ords.sort(cmp);
    const shown = ords.slice(0, this.size);
    let other = 0;
    for (let i = this.size; i < ords.length; i++) other += this.counts[ords[i]!]!;
    const buckets = shown.map((o) => this.renderBucket(o, ctx));
    return { doc_count_error_upper_bound: 0, sum_other_doc_count: other, buckets };
  }

  private renderBucket(o: number, ctx: BuildContext): Record<string, unknown> {
    const key = this.keys[o]!;
    const bucket: Record<string, unknown> = {};
    if (typeof key === "number") {
      const f = this.field;
      if (f && f.type === "boolean") {
        bucket.key = key;
        bucket.key_as_string = key === 1 ? "true" : "false";
      } else {
        bucket.key = key;
        if (this.format) bucket.key_as_string = this.format.format(key);
      }
    } else bucket.key = key;
    bucket.doc_count = this.counts[o];
    return this.buildSubs(o, ctx, bucket);
  }

  private keyCompare(a: number, b: number): number {
    const ka = this.keys[a]!;
    const kb = this.keys[b]!;
    if (typeof ka === "number" && typeof kb === "number") return compareNumbers(ka, kb);
    return utf8Compare(String(ka), String(kb));
  }

  private comparator(): (a: number, b: number) => number {
    const orders = this.order.length > 0 ? this.order : [{ by: "_count", asc: false }];
    const parts = orders.map((o) => {
      const dir = o.asc ? 1 : -1;
      if (o.by === "_count") return (a: number, b: number) => dir * (this.counts[a]! - this.counts[b]!);
      if (o.by === "_key") return (a: number, b: number) => dir * this.keyCompare(a, b);
      const cache = new Map<number, number>();
      const val = (x: number): number => {
        let v = cache.get(x);
        if (v === undefined) {
          v = orderValue(this, o.by, x);
          cache.set(x, v);
        }
        return v;
      };
      return (a: number, b: number) => dir * compareNumbers(val(a), val(b));
    });
    const hasKey = orders.some((o) => o.by === "_key");
    return (a, b) => {
      for (const p of parts) {
        const c = p(a, b);
        if (c !== 0) return c;
      }
      return hasKey ? 0 : this.keyCompare(a, b);
    };
  }
}

function buildIncludeExclude(include: unknown, exclude: unknown): ((k: string | number) => boolean) | null {
  if (include === undefined && exclude === undefined) return null;
  const toTest = (v: unknown, what: string): ((k: string | number) => boolean) | null => {
    if (v === undefined) return null;
    if (typeof v === "string") {
      const re = new RegExp(`^(?:${v})$`, "u");
      return (k) => re.test(String(k));
    }
    if (Array.isArray(v)) {
      const set = new Set(v.map(String));
      return (k) => set.has(String(k));
    }
    if (typeof v === "object" && v !== null && "partition" in v) throw parsingError(`[terms] ${what} partitions are not supported by ${LOCAL}`);
    throw parsingError(`[terms] [${what}] must be a string (regex) or an array of values`);
  };
  const inc = toTest(include, "include");
  const exc = toTest(exclude, "exclude");
  return (k) => (inc === null || inc(k)) && (exc === null || !exc(k));
}
