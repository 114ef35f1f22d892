// top_hits: the best documents of each bucket (size, from, sort, _source).
import { parsingError } from "../errors.ts";
import { renderHit } from "../hits.ts";
import { buildSortKeys, compareSortValues, parseSort, type SortKey, type SortSpec } from "../sort.ts";
import { FETCH_ALL, parseSourceFilter, type SourceFilter } from "../source-filter.ts";
import { type AggIndexContext, Aggregator, type BuildContext } from "./aggregator.ts";
import type { AggNode } from "./parse.ts";

interface Entry {
  indexNo: number;
  slot: number;
  score: number;
  values: unknown[];
}

export class TopHitsAggregator extends Aggregator {
  private readonly size: number;
  private readonly from: number;
  private readonly sort: SortSpec[] | null;
  private readonly source: SourceFilter;
  private readonly version: boolean;
  private readonly seqNo: boolean;
  private readonly trackScores: boolean;
  private perOwner: Entry[][] = [];
  private keys: SortKey[] = [];
  private indexNo = 0;
  private score: (slot: number) => number = () => 1;

  constructor(node: AggNode) {
    super(node.name, []);
    const b = node.body;
    for (const k of Object.keys(b)) {
      if (!["size", "from", "sort", "_source", "version", "seq_no_primary_term", "track_scores"].includes(k)) {
        throw parsingError(`[top_hits] unknown field [${k}]`);
      }
    }
    this.size = b.size === undefined ? 3 : Number(b.size);
    this.from = b.from === undefined ? 0 : Number(b.from);
    if (!(this.size >= 0) || !(this.from >= 0)) throw parsingError("[top_hits] size and from must be >= 0");
    this.sort = b.sort === undefined ? null : parseSort(b.sort);
    this.source = b._source === undefined ? FETCH_ALL : parseSourceFilter(b._source);
    this.version = b.version === true;
    this.seqNo = b.seq_no_primary_term === true;
    this.trackScores = b.track_scores === true;
  }

  /** Whether hits need query scores. */
  needsScores(): boolean {
    return this.sort === null || this.trackScores || this.sort.some((s) => s.kind === "score");
  }

  override setIndex(ctx: AggIndexContext): void {
    this.indexNo = ctx.indexNo;
    this.score = (slot) => ctx.score(slot);
    this.keys = this.sort ? buildSortKeys(ctx.index, this.sort, this.score) : [];
  }

  collect(slot: number, owner: number): void {
    let list = this.perOwner[owner];
    if (!list) {
      list = [];
      this.perOwner[owner] = list;
    }
    list.push({ indexNo: this.indexNo, slot, score: this.score(slot), values: this.keys.map((k) => k.value(slot)) });
  }

  build(owner: number, ctx: BuildContext): Record<string, unknown> {
    const list = owner >= 0 ? (this.perOwner[owner] ?? []) : [];
    const specs = this.sort;
    const sorted = [...list].sort((a, b) => {
      if (specs) {
        const c = compareSortValues(a.values, b.values, specs);
        if (c !== 0) return c;
      } else if (a.score !== b.score) return b.score - a.score;
      return a.indexNo - b.indexNo || a.slot - b.slot;
    });
    const scored = specs === null || this.trackScores || specs.some((s) => s.kind === "score");
    const page = sorted.slice(this.from, this.from + this.size);
    const hits = page.map((e) =>
      renderHit(ctx.out, ctx.indices[e.indexNo]!, e.slot, scored ? e.score : null, specs ? e.values : null, {
        source: this.source,
        version: this.version,
        seqNoPrimaryTerm: this.seqNo,
      }),
    );
    const maxScore = scored && list.length > 0 ? Math.max(...list.map((e) => e.score)) : null;
    return { hits: { total: { value: list.length, relation: "eq" }, max_score: maxScore, hits } };
  }
}
