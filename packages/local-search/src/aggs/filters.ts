// filter, filters, missing and range aggregations.
import type { KeywordColumn } from "../index/KeywordColumn.ts";
import type { NumericColumn } from "../index/NumericColumn.ts";
import type { TextColumn } from "../index/TextColumn.ts";
import { parsingError } from "../errors.ts";
import { parseQuery, type Query } from "../query/parseQuery.ts";
import { slotMatcher, type SlotMatcher } from "../query/slotMatcher.ts";
import { type AggIndexContext, Aggregator, type BuildContext, growF64, javaDouble } from "./aggregator.ts";
import { asNumeric, bind, fieldParam } from "./fields.ts";
import type { AggNode } from "./parse.ts";

/** One bucket per owner, holding the documents `matches` accepts; its bucket ordinal is its owner's. */
abstract class SingleBucketAggregator extends Aggregator {
  private counts = new Float64Array(4);

  protected abstract matches(slot: number): boolean;

  collect(slot: number, owner: number): void {
    if (!this.matches(slot)) return;
    if (owner >= this.counts.length) this.counts = growF64(this.counts, owner, 0);
    this.counts[owner]!++;
    for (const s of this.subs) s.collect(slot, owner);
  }

  override sortValue(owner: number, prop: string | null): number {
    if (prop === null || prop === "_count" || prop === "doc_count") return this.counts[owner] ?? 0;
    return super.sortValue(owner, prop);
  }

  build(owner: number, ctx: BuildContext): Record<string, unknown> {
    const count = owner >= 0 ? (this.counts[owner] ?? 0) : 0;
    return this.buildSubs(count > 0 ? owner : -1, ctx, { doc_count: count });
  }
}

/** Single bucket: documents matching a query. */
export class FilterAggregator extends SingleBucketAggregator {
  private readonly query: Query;
  private match: SlotMatcher = () => false;

  constructor(node: AggNode, subs: Aggregator[]) {
    super(node.name, subs);
    this.query = parseQuery(node.body);
  }

  override setIndex(ctx: AggIndexContext): void {
    super.setIndex(ctx);
    this.match = slotMatcher(this.query, ctx.evalCtx);
  }

  protected matches(slot: number): boolean {
    return this.match(slot);
  }
}

/** Single bucket: documents without a value for the field. */
export class MissingAggregator extends SingleBucketAggregator {
  private readonly path: string;
  private has: (slot: number) => boolean = () => false;

  constructor(node: AggNode, subs: Aggregator[]) {
    super(node.name, subs);
    for (const k of Object.keys(node.body)) if (k !== "field") throw parsingError(`[missing] unknown field [${k}]`);
    this.path = fieldParam(node.body, "missing", node.name)!;
  }

  override setIndex(ctx: AggIndexContext): void {
    super.setIndex(ctx);
    const b = bind(ctx.index, this.path, "missing", "any");
    const col = b.column;
    if (!col) this.has = () => false;
    else if (col.kind === "numeric") this.has = (s) => (col as NumericColumn).state[s] !== 0;
    else if (col.kind === "keyword") this.has = (s) => (col as KeywordColumn).ords[s] !== -1;
    else this.has = (s) => (col as TextColumn).present[s] === 1;
  }

  protected matches(slot: number): boolean {
    return !this.has(slot);
  }
}

/** Multi bucket: a fixed list of buckets per owner (filters, range); ordinal = owner * n + i. */
abstract class FixedBucketsAggregator extends Aggregator {
  protected counts = new Float64Array(8);
  protected abstract readonly n: number;

  protected hit(slot: number, owner: number, i: number): void {
    const ord = owner * this.n + i;
    if (ord >= this.counts.length) this.counts = growF64(this.counts, ord, 0);
    this.counts[ord]!++;
    for (const s of this.subs) s.collect(slot, ord);
  }

  protected bucket(owner: number, i: number, ctx: BuildContext, head: Record<string, unknown>): Record<string, unknown> {
    const ord = owner >= 0 ? owner * this.n + i : -1;
    const count = ord >= 0 ? (this.counts[ord] ?? 0) : 0;
    head.doc_count = count;
    return this.buildSubs(count > 0 ? ord : -1, ctx, head);
  }
}

export class FiltersAggregator extends FixedBucketsAggregator {
  private readonly names: string[] | null;
  private readonly queries: Query[];
  private readonly otherKey: string | null;
  protected readonly n: number;
  private matchers: SlotMatcher[] = [];

  constructor(node: AggNode, subs: Aggregator[]) {
    super(node.name, subs);
    const b = node.body;
    for (const k of Object.keys(b)) if (!["filters", "other_bucket", "other_bucket_key", "keyed"].includes(k)) throw parsingError(`[filters] unknown field [${k}]`);
    const f = b.filters;
    if (Array.isArray(f)) {
      this.names = null;
      this.queries = f.map((q) => parseQuery(q));
    } else if (typeof f === "object" && f !== null) {
      this.names = Object.keys(f);
      this.queries = Object.values(f as Record<string, unknown>).map((q) => parseQuery(q));
    } else throw parsingError("[filters] requires [filters] as an object or an array");
    const other = b.other_bucket === true || b.other_bucket_key !== undefined;
    this.otherKey = other ? String(b.other_bucket_key ?? "_other_") : null;
    this.n = this.queries.length + (other ? 1 : 0);
  }

  override setIndex(ctx: AggIndexContext): void {
    super.setIndex(ctx);
    this.matchers = this.queries.map((q) => slotMatcher(q, ctx.evalCtx));
  }

  collect(slot: number, owner: number): void {
    let any = false;
    for (let i = 0; i < this.matchers.length; i++) {
      if (this.matchers[i]!(slot)) {
        any = true;
        this.hit(slot, owner, i);
      }
    }
    if (!any && this.otherKey !== null) this.hit(slot, owner, this.queries.length);
  }

  build(owner: number, ctx: BuildContext): Record<string, unknown> {
    if (this.names) {
      const buckets: Record<string, unknown> = {};
      this.names.forEach((name, i) => (buckets[name] = this.bucket(owner, i, ctx, {})));
      if (this.otherKey !== null) buckets[this.otherKey] = this.bucket(owner, this.queries.length, ctx, {});
      return { buckets };
    }
    const buckets = this.queries.map((_, i) => this.bucket(owner, i, ctx, {}));
    if (this.otherKey !== null) buckets.push(this.bucket(owner, this.queries.length, ctx, {}));
    return { buckets };
  }
}

export class RangeAggregator extends FixedBucketsAggregator {
  private readonly path: string;
  private readonly ranges: { from: number | null; to: number | null; key: string }[];
  private readonly keyed: boolean;
  protected readonly n: number;
  private col: NumericColumn | null = null;

  constructor(node: AggNode, subs: Aggregator[]) {
    super(node.name, subs);
    const b = node.body;
    for (const k of Object.keys(b)) if (!["field", "ranges", "keyed", "missing"].includes(k)) throw parsingError(`[range] unknown field [${k}]`);
    this.path = fieldParam(b, "range", node.name)!;
    if (!Array.isArray(b.ranges) || b.ranges.length === 0) throw parsingError(`No [ranges] specified for the [${node.name}] aggregation`);
    this.ranges = b.ranges.map((r: unknown) => {
      const o = (r ?? {}) as Record<string, unknown>;
      const from = o.from === undefined || o.from === null ? null : Number(o.from);
      const to = o.to === undefined || o.to === null ? null : Number(o.to);
      if ((from !== null && Number.isNaN(from)) || (to !== null && Number.isNaN(to))) throw parsingError(`[range] from/to must be numbers`);
      const key = o.key !== undefined ? String(o.key) : `${from === null ? "*" : javaDouble(from)}-${to === null ? "*" : javaDouble(to)}`;
      return { from, to, key };
    });
    this.keyed = b.keyed === true;
    this.n = this.ranges.length;
  }

  override setIndex(ctx: AggIndexContext): void {
    super.setIndex(ctx);
    this.col = asNumeric(bind(ctx.index, this.path, "range", "numeric"));
  }

  collect(slot: number, owner: number): void {
    const col = this.col;
    if (!col) return;
    const vals = col.valuesOf(slot);
    if (vals.length === 0) return;
    for (let i = 0; i < this.ranges.length; i++) {
      const r = this.ranges[i]!;
      if (vals.some((v) => (r.from === null || v >= r.from) && (r.to === null || v < r.to))) this.hit(slot, owner, i);
    }
  }

  build(owner: number, ctx: BuildContext): Record<string, unknown> {
    const list = this.ranges.map((r, i) => {
      const head: Record<string, unknown> = { key: r.key };
      if (r.from !== null) head.from = r.from;
      if (r.to !== null) head.to = r.to;
      return this.bucket(owner, i, ctx, head);
    });
    if (this.keyed) {
      const buckets: Record<string, unknown> = {};
      list.forEach((b) => {
        const k = b.key as string;
        delete b.key;
        buckets[k] = b;
      });
      return { buckets };
    }
    return { buckets: list };
  }
}
