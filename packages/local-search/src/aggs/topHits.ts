// top_hits: the best documents of each bucket (size, from, sort, _source).
import { parsingError } from "../errors.ts";
import { renderHit } from "../hits/renderHit.ts";
import { buildSortKeys, compareSlots, compareSortValues, parseSort, type SortKey, type SortSpec } from "../hits/sort.ts";
import { FETCH_ALL, parseSourceFilter, type SourceFilter } from "../hits/sourceFilter.ts";
import { type AggIndexContext, Aggregator, type BuildContext } from "./aggregator.ts";
import type { AggNode } from "./parse.ts";

interface Entry {
  indexNo: number;
  slot: number;
  score: number;
  values: unknown[];
}

/** What a bucket keeps: only its best `from + size` entries (kept sorted), a count and the best score. */
interface OwnerState {
  best: Entry[];
  total: number;
  maxScore: number;
}

export class TopHitsAggregator extends Aggregator {
  private readonly size: number;
  private readonly from: number;
  private readonly sort: SortSpec[] | null;
  private readonly source: SourceFilter;
  private readonly version: boolean;
  private readonly seqNo: boolean;
  private readonly trackScores: boolean;
  private perOwner: OwnerState[] = [];
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

  /**
   * A candidate document of the current index against a kept entry. Hit order: the
   * sort (or score, best first), then index and slot: a total order, so keeping a
   * bounded sorted list equals sorting all. Against an entry of this index it reads
   * the index's sort keys (no sort values built, tie-breakers only on a tie): most
   * candidates lose here.
   */
  private compareCandidate(slot: number, score: number, e: Entry): number {
    if (this.sort === null) return score !== e.score ? e.score - score : this.indexNo - e.indexNo || slot - e.slot;
    if (e.indexNo === this.indexNo) return compareSlots(this.keys, slot, e.slot);
    return compareSortValues(this.valuesOf(slot), e.values, this.sort) || this.indexNo - e.indexNo || slot - e.slot;
  }

  private valuesOf(slot: number): unknown[] {
    const keys = this.keys;
    const values = new Array<unknown>(keys.length);
    for (let i = 0; i < keys.length; i++) values[i] = keys[i]!.value(slot);
    return values;
  }

  // A candle's open and close are the top hit of thousands of trades: keep the
  // best `from + size` while collecting instead of every document, then sorting.
  collect(slot: number, owner: number): void {
    let state = this.perOwner[owner];
    if (!state) {
      state = { best: [], total: 0, maxScore: -Infinity };
      this.perOwner[owner] = state;
    }
    state.total++;
    const score = this.score(slot);
    if (score > state.maxScore) state.maxScore = score;
    const keep = this.from + this.size;
    if (keep === 0) return;
    const best = state.best;
    if (best.length === keep && this.compareCandidate(slot, score, best[keep - 1]!) >= 0) return;
    let i = best.length === keep ? keep - 1 : best.length;
    while (i > 0 && this.compareCandidate(slot, score, best[i - 1]!) < 0) i--;
    const entry: Entry = { indexNo: this.indexNo, slot, score, values: this.sort ? this.valuesOf(slot) : [] };
    best.splice(i, 0, entry);
    if (best.length > keep) best.pop();
  }

  build(owner: number, ctx: BuildContext): Record<string, unknown> {
    const state = owner >= 0 ? this.perOwner[owner] : undefined;
    const specs = this.sort;
    const scored = specs === null || this.trackScores || specs.some((s) => s.kind === "score");
    const page = (state?.best ?? []).slice(this.from, this.from + this.size);
    const hits = page.map((e) =>
      renderHit(ctx.out, ctx.indices[e.indexNo]!, e.slot, scored ? e.score : null, specs ? e.values : null, {
        source: this.source,
        version: this.version,
        seqNoPrimaryTerm: this.seqNo,
      }),
    );
    const total = state?.total ?? 0;
    const maxScore = scored && total > 0 ? state!.maxScore : null;
    return { hits: { total: { value: total, relation: "eq" }, max_score: maxScore, hits } };
  }
}
