// Pure: the per-coin, per-minute social activity a set of posts touches, the
// search that recomputes it from the stored posts, and its parser. A minute's
// activity is a function of the set of posts stored for it, so recomputing it
// after a redelivered batch gives the same value (no double count).
import { HLL_REGISTERS, HyperLogLog } from "../sketch/hyperLogLog.ts";
import { SENTIMENT_LABELS, type SentimentLabel } from "../../contracts/sentiment.ts";
import { socialActivityDocId } from "./documentIds.ts";
import type { IndexNames } from "./IndexNames.ts";
import { refKey } from "./readVersions.ts";
import type { SocialActivity } from "./types.ts";

export const MINUTE_MS = 60_000;

export interface SocialActivityTarget {
  coin: string;
  /** Minute start, epoch ms. */
  bucketStart: number;
  index: string;
  id: string;
  owners: string[];
}

export interface CoinPoint {
  coins: readonly string[];
  /** The post's createdAt, epoch ms. */
  createdAt: number;
}

export function socialActivityTargets(points: readonly { keys: readonly string[]; point: CoinPoint }[], names: IndexNames): SocialActivityTarget[] {
  const byId = new Map<string, { target: Omit<SocialActivityTarget, "owners">; owners: Set<string> }>();
  for (const { keys, point } of points) {
    const minute = Math.floor(point.createdAt / MINUTE_MS) * MINUTE_MS;
    for (const coin of point.coins) {
      const id = socialActivityDocId(coin, minute);
      let entry = byId.get(id);
      if (entry === undefined) byId.set(id, (entry = { target: { coin, bucketStart: minute, index: names.socialActivity(minute), id }, owners: new Set() }));
      for (const k of keys) entry.owners.add(k);
    }
  }
  return [...byId.values()].map(({ target, owners }) => ({ ...target, owners: [...owners] }));
}

export interface SocialActivitySearch {
  indices: string[];
  body: Record<string, unknown>;
  /** Aggregation name → target. */
  targets: Map<string, SocialActivityTarget>;
}

/**
 * One filter aggregation per (coin, minute): label counts, the score sum, and
 * the sketch's registers (terms on the register, max rank in each), so no
 * author list is read back. At most `maxAggs` targets per search: each can
 * return up to 4,096 register buckets, and OpenSearch caps a response's
 * buckets (search.max_buckets, 65,535 by default).
 */
export function buildSocialActivitySearches(targets: readonly SocialActivityTarget[], names: IndexNames, maxAggs = 12): SocialActivitySearch[] {
  const searches: SocialActivitySearch[] = [];
  for (let i = 0; i < targets.length; i += maxAggs) {
    const slice = targets.slice(i, i + maxAggs);
    const indices = new Set<string>();
    const aggs: Record<string, unknown> = {};
    const map = new Map<string, SocialActivityTarget>();
    const coins = new Set<string>();
    let from = Infinity;
    let to = -Infinity;
    slice.forEach((t, n) => {
      const end = t.bucketStart + MINUTE_MS;
      from = Math.min(from, t.bucketStart);
      to = Math.max(to, end);
      coins.add(t.coin);
      indices.add(names.socialPosts(t.bucketStart));
      const name = `t${n}`;
      map.set(name, t);
      aggs[name] = {
        filter: { bool: { filter: [{ term: { coins: t.coin } }, { range: { createdAt: { gte: t.bucketStart, lt: end } } }] } },
        aggs: {
          labels: { terms: { field: "sentiment.label", size: 10 } },
          scoreSum: { sum: { field: "sentiment.score" } },
          registers: { terms: { field: "authorHll.register", size: HLL_REGISTERS }, aggs: { rank: { max: { field: "authorHll.rank" } } } },
        },
      };
    });
    searches.push({
      indices: [...indices].sort(),
      body: {
        size: 0,
        track_total_hits: false,
        query: { bool: { filter: [{ terms: { coins: [...coins].sort() } }, { range: { createdAt: { gte: from, lt: to } } }] } },
        aggs,
      },
      targets: map,
    });
  }
  return searches;
}

interface TargetAgg {
  doc_count: number;
  labels?: { buckets: { key: string; doc_count: number }[] };
  scoreSum?: { value: number | null };
  registers?: { buckets: { key: number | string; rank?: { value: number | null } }[] };
}

/** Activity keyed by refKey(index, id); a minute with no posts left gets zero counts. */
export function parseSocialActivitySearch(search: SocialActivitySearch, response: { aggregations?: Record<string, unknown> }): Map<string, SocialActivity> {
  const out = new Map<string, SocialActivity>();
  for (const [name, t] of search.targets) {
    const agg = response.aggregations?.[name] as TargetAgg | undefined;
    if (agg === undefined) throw new Error(`social activity aggregation: ${name} missing from the response`);
    const counts: Record<SentimentLabel, number> = { positive: 0, negative: 0, neutral: 0 };
    for (const b of agg.labels?.buckets ?? []) {
      if ((SENTIMENT_LABELS as readonly string[]).includes(b.key)) counts[b.key as SentimentLabel] = b.doc_count;
    }
    const sketch = new HyperLogLog();
    for (const b of agg.registers?.buckets ?? []) {
      const rank = b.rank?.value;
      if (rank != null && rank > 0) sketch.offer({ register: Number(b.key), rank });
    }
    const posts = agg.doc_count;
    const scoreSum = posts > 0 ? (agg.scoreSum?.value ?? 0) : 0;
    out.set(refKey(t.index, t.id), {
      coin: t.coin,
      bucketStart: t.bucketStart,
      posts,
      authors: sketch.count(),
      authorsHll: sketch.encode(),
      ...counts,
      scoreSum,
      meanScore: posts > 0 ? scoreSum / posts : 0,
    });
  }
  return out;
}
