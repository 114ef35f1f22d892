// Builds the aggregator tree for a request and runs it over the matching
// documents of each index.
import { type Bitset, toSlots } from "../index/bitset.ts";
import type { IndexStore } from "../index/IndexStore.ts";
import type { JsonOut } from "../http/JsonOut.ts";
import type { EvalContext } from "../query/evaluateQuery.ts";
import { type AggIndexContext, Aggregator } from "./aggregator.ts";
import { FilterAggregator, FiltersAggregator, MissingAggregator, RangeAggregator } from "./filters.ts";
import { HistogramAggregator } from "./histogram.ts";
import { CardinalityAggregator, NumericStatsAggregator, ValueCountAggregator } from "./metrics.ts";
import type { AggNode } from "./parse.ts";
import { TermsAggregator } from "./terms.ts";
import { TopHitsAggregator } from "./topHits.ts";

export function buildAggregators(nodes: AggNode[]): Aggregator[] {
  return nodes.map((n) => {
    const agg = buildAggregator(n);
    agg.meta = n.meta;
    return agg;
  });
}

function buildAggregator(n: AggNode): Aggregator {
  {
    const subs = buildAggregators(n.subs);
    switch (n.type) {
      case "terms":
        return new TermsAggregator(n, subs);
      case "date_histogram":
      case "histogram":
        return new HistogramAggregator(n, subs);
      case "filter":
        return new FilterAggregator(n, subs);
      case "filters":
        return new FiltersAggregator(n, subs);
      case "missing":
        return new MissingAggregator(n, subs);
      case "range":
        return new RangeAggregator(n, subs);
      case "min":
      case "max":
      case "sum":
      case "avg":
      case "stats":
        return new NumericStatsAggregator(n);
      case "value_count":
        return new ValueCountAggregator(n);
      case "cardinality":
        return new CardinalityAggregator(n);
      case "top_hits":
        return new TopHitsAggregator(n);
      default:
        throw new Error(`unreachable aggregation type ${n.type}`);
    }
  }
}

export function aggsNeedScores(aggs: Aggregator[]): boolean {
  return aggs.some((a) => (a instanceof TopHitsAggregator && a.needsScores()) || aggsNeedScores(a.subs));
}

/** Collects the matching documents of one index into the top-level aggregators. */
export function collectIndex(aggs: Aggregator[], index: IndexStore, indexNo: number, bits: Bitset, scores: Float64Array | null, constScore: number, evalCtx: EvalContext): void {
  const ctx: AggIndexContext = {
    index,
    indexNo,
    now: evalCtx.now,
    // Filter aggregations are asked only about these documents.
    evalCtx: { ...evalCtx, domain: toSlots(bits) },
    score: scores ? (slot) => scores[slot]! : () => constScore,
  };
  for (const a of aggs) a.setIndex(ctx);
  const n = aggs.length;
  const first = aggs[0]!;
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const t = word & -word;
      const slot = (w << 5) + (31 - Math.clz32(t));
      word ^= t;
      if (n === 1) first.collect(slot, 0);
      else for (let i = 0; i < n; i++) aggs[i]!.collect(slot, 0);
    }
  }
}

export function buildResults(aggs: Aggregator[], out: JsonOut, indices: IndexStore[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const a of aggs) result[a.name] = a.buildWithMeta(0, { out, indices });
  return result;
}
