// Pure: the sentiment aggregates a set of news documents touches, the search
// that recomputes them from the news indices, and its parser. Aggregates are
// per tag, timeframe and bucket of `publishedAt`.
import { bucketEnd, bucketStart, bucketStartsBetween } from "../candles/bucketStart.ts";
import { sentimentDocId } from "./documentIds.ts";
import type { IndexNames } from "./IndexNames.ts";
import { refKey } from "./readVersions.ts";
import type { Timeframe } from "../../contracts/timeframes.ts";
import { type SentimentAggregate } from "./types.ts";
import { SENTIMENT_LABELS } from "../../contracts/sentiment.ts";
import { type SentimentLabel } from "../../contracts/sentiment.ts";

/** Timeframes of the sentiment aggregates (news is too sparse for 1m/5m). */
export const SENTIMENT_TIMEFRAMES: readonly Timeframe[] = ["15m", "1h", "4h", "1d", "1w"];

export interface SentimentTarget {
  tag: string;
  timeframe: Timeframe;
  bucketStart: number;
  index: string;
  id: string;
  owners: string[];
}

export interface TaggedPoint {
  tags: readonly string[];
  publishedAt: number;
}

export function sentimentTargets(
  points: readonly { keys: readonly string[]; point: TaggedPoint }[],
  names: IndexNames,
  timeframes: readonly Timeframe[] = SENTIMENT_TIMEFRAMES,
): SentimentTarget[] {
  const byId = new Map<string, { target: Omit<SentimentTarget, "owners">; owners: Set<string> }>();
  for (const { keys, point } of points) {
    for (const tf of timeframes) {
      const start = bucketStart(tf, point.publishedAt);
      for (const tag of point.tags) {
        const id = sentimentDocId(tag, tf, start);
        let entry = byId.get(id);
        if (entry === undefined) {
          byId.set(id, (entry = { target: { tag, timeframe: tf, bucketStart: start, index: names.sentiment(start), id }, owners: new Set() }));
        }
        for (const k of keys) entry.owners.add(k);
      }
    }
  }
  return [...byId.values()].map(({ target, owners }) => ({ ...target, owners: [...owners] }));
}

export interface SentimentSearch {
  indices: string[];
  body: Record<string, unknown>;
  /** Aggregation name → target. */
  targets: Map<string, SentimentTarget>;
}

/** One filter aggregation per target (tags are multi-valued, so a terms split could drop one). */
export function buildSentimentSearches(targets: readonly SentimentTarget[], names: IndexNames, maxAggs = 256): SentimentSearch[] {
  const searches: SentimentSearch[] = [];
  for (let i = 0; i < targets.length; i += maxAggs) {
    const slice = targets.slice(i, i + maxAggs);
    const indices = new Set<string>();
    const aggs: Record<string, unknown> = {};
    const map = new Map<string, SentimentTarget>();
    const tags = new Set<string>();
    let from = Infinity;
    let to = -Infinity;
    slice.forEach((t, n) => {
      const end = bucketEnd(t.timeframe, t.bucketStart);
      from = Math.min(from, t.bucketStart);
      to = Math.max(to, end);
      tags.add(t.tag);
      for (const day of bucketStartsBetween("1d", t.bucketStart, end)) indices.add(names.news(day));
      const name = `t${n}`;
      map.set(name, t);
      aggs[name] = {
        filter: {
          bool: {
            filter: [
              { term: { tags: t.tag } },
              { range: { publishedAt: { gte: t.bucketStart, lt: end } } },
              { exists: { field: "sentiment.label" } },
            ],
          },
        },
        aggs: {
          labels: { terms: { field: "sentiment.label", size: 10 } },
          scoreSum: { sum: { field: "sentiment.score" } },
        },
      };
    });
    searches.push({
      indices: [...indices].sort(),
      body: {
        size: 0,
        track_total_hits: false,
        query: { bool: { filter: [{ terms: { tags: [...tags].sort() } }, { range: { publishedAt: { gte: from, lt: to } } }] } },
        aggs,
      },
      targets: map,
    });
  }
  return searches;
}

/** Aggregates keyed by refKey(index, id); a target with no news gets zero counts. */
export function parseSentimentSearch(search: SentimentSearch, response: { aggregations?: Record<string, unknown> }): Map<string, SentimentAggregate> {
  const out = new Map<string, SentimentAggregate>();
  for (const [name, t] of search.targets) {
    const agg = response.aggregations?.[name] as
      | { doc_count: number; labels?: { buckets: { key: string; doc_count: number }[] }; scoreSum?: { value: number | null } }
      | undefined;
    if (agg === undefined) throw new Error(`sentiment aggregation: ${name} missing from the response`);
    const counts: Record<SentimentLabel, number> = { positive: 0, negative: 0, neutral: 0 };
    for (const b of agg.labels?.buckets ?? []) {
      if ((SENTIMENT_LABELS as readonly string[]).includes(b.key)) counts[b.key as SentimentLabel] = b.doc_count;
    }
    const count = agg.doc_count;
    const scoreSum = count > 0 ? (agg.scoreSum?.value ?? 0) : 0;
    out.set(refKey(t.index, t.id), {
      tag: t.tag,
      timeframe: t.timeframe,
      bucketStart: t.bucketStart,
      count,
      ...counts,
      scoreSum,
      meanScore: count > 0 ? scoreSum / count : 0,
    });
  }
  return out;
}
