// The aggregation framework: one aggregator object per aggregation in the
// request; documents are collected with the ordinal of the bucket that owns
// them (like OpenSearch), so sub-aggregations need no per-bucket objects.
import type { IndexStore } from "../index/IndexStore.ts";
import type { JsonOut } from "../http/JsonOut.ts";
import type { EvalContext } from "../query/evaluateQuery.ts";
import { LOCAL, SearchError } from "../errors.ts";

export interface AggIndexContext {
  index: IndexStore;
  indexNo: number;
  now: number;
  evalCtx: EvalContext;
  score(slot: number): number;
}

export interface BuildContext {
  out: JsonOut;
  indices: IndexStore[];
}

export abstract class Aggregator {
  readonly name: string;
  readonly subs: Aggregator[];
  /** The request's "meta" object, echoed in the result. */
  meta: unknown = undefined;

  constructor(name: string, subs: Aggregator[]) {
    this.name = name;
    this.subs = subs;
  }

  /** Binds the aggregator (and its sub-aggregators) to an index before its documents are collected. */
  setIndex(ctx: AggIndexContext): void {
    for (const s of this.subs) s.setIndex(ctx);
  }

  /** Collects a document into the bucket with ordinal owner (-1 never reaches collect). */
  abstract collect(slot: number, owner: number): void;

  /** Result for one owning bucket; owner -1 means an empty bucket. */
  abstract build(owner: number, ctx: BuildContext): Record<string, unknown>;

  buildWithMeta(owner: number, ctx: BuildContext): Record<string, unknown> {
    const r = this.build(owner, ctx);
    return this.meta === undefined ? r : { meta: this.meta, ...r };
  }

  /** Value used when a parent orders its buckets by this aggregation. */
  sortValue(owner: number, prop: string | null): number {
    void owner;
    throw new SearchError(400, "aggregation_execution_exception", `Invalid aggregation order path [${this.name}${prop ? "." + prop : ""}]. Buckets can only be sorted on a sub-aggregator path that is built out of zero or more single-bucket aggregations within the path and a final single-bucket or a metrics aggregation at the path end.`);
  }

  protected buildSubs(ord: number, ctx: BuildContext, into: Record<string, unknown>): Record<string, unknown> {
    for (const s of this.subs) into[s.name] = s.buildWithMeta(ord, ctx);
    return into;
  }

  findSub(name: string): Aggregator {
    const s = this.subs.find((x) => x.name === name);
    if (!s) throw new SearchError(400, "aggregation_execution_exception", `Invalid aggregator order path [${name}]. Unknown aggregation [${name}]`);
    return s;
  }
}

export function unsupportedAgg(what: string): SearchError {
  return new SearchError(400, "illegal_argument_exception", `${what} is not supported by ${LOCAL}`);
}

/** Growable typed array helpers indexed by bucket ordinal. */
export function growF64(a: Float64Array<ArrayBuffer>, n: number, fill: number): Float64Array<ArrayBuffer> {
  if (n < a.length) return a;
  const b = new Float64Array(Math.max(n + 1, a.length * 2));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

export function growI32(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n < a.length) return a;
  const b = new Int32Array(Math.max(n + 1, a.length * 2));
  b.set(a);
  return b;
}

/** Double.compare-like ordering (NaN greatest). */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  return -1;
}

/** Java's Double.toString for keys like "100.0-200.0" in range aggregations. */
export function javaDouble(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return v.toFixed(1);
  return String(v);
}
