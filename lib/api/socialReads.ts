// GET /social and GET /social/activity: a coin's posts, and its activity per
// bucket beside its price with the lagged correlation of the two.
import type { SocialActivityAnswer, SocialAnswer } from "../../contracts/api.ts";
import type { Timeframe } from "../../contracts/timeframes.ts";
import { TIMEFRAME_MS } from "../../contracts/timeframes.ts";
import { activityBuckets, activityBucketStarts, type MinuteActivity } from "../social/activityBuckets.ts";
import { laggedCorrelation } from "../social/laggedCorrelation.ts";
import { socialPostItem } from "../social/socialPostItem.ts";
import type { SocialPostDoc } from "../store/types.ts";
import { readCandles, type ApiStore } from "./marketReads.ts";
import { iso, type TimeWindow } from "./windows.ts";

export interface SocialFilter {
  coin: string;
  from?: number;
  to?: number;
  limit: number;
}

const POST_FIELDS = ["source", "postId", "authorId", "authorHandle", "authorName", "authorFollowers", "text", "langs", "hashtags", "likeCount", "repostCount", "repostOf", "createdAt", "coins", "sentiment"];

export async function readSocialPosts(store: ApiStore, f: SocialFilter): Promise<SocialAnswer> {
  const filter: unknown[] = [{ term: { coins: f.coin } }];
  if (f.from !== undefined || f.to !== undefined) {
    filter.push({ range: { createdAt: { ...(f.from !== undefined ? { gte: f.from } : {}), ...(f.to !== undefined ? { lt: f.to } : {}) } } });
  }
  const response = await store.client.search({
    index: store.names.pattern("social-posts"),
    ignore_unavailable: true,
    body: {
      size: f.limit,
      track_total_hits: true,
      query: { bool: { filter } },
      sort: [{ createdAt: { order: "desc" } }, { postId: { order: "asc" } }],
      _source: { includes: POST_FIELDS },
    },
  } as never);
  const hits = (response.body as { hits?: { total?: { value?: number } | number; hits?: { _id: string; _source: SocialPostDoc }[] } }).hits;
  const total = hits?.total;
  return {
    coin: f.coin,
    total: typeof total === "number" ? total : (total?.value ?? 0),
    posts: (hits?.hits ?? []).map((h) => socialPostItem(h._id, h._source)),
  };
}

const PAGE = 5000;
const MINUTE_FIELDS = ["bucketStart", "posts", "positive", "negative", "scoreSum", "authorsHll"];

/** Every stored minute of the coin in [from, to), oldest first. */
async function readMinutes(store: ApiStore, coin: string, from: number, to: number): Promise<MinuteActivity[]> {
  const out: MinuteActivity[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const response = await store.client.search({
      index: store.names.pattern("social-activity"),
      ignore_unavailable: true,
      body: {
        size: PAGE,
        track_total_hits: false,
        query: { bool: { filter: [{ term: { coin } }, { range: { bucketStart: { gte: from, lt: to } } }, { range: { posts: { gt: 0 } } }] } },
        // One document per coin and minute: bucketStart alone orders the pages.
        sort: [{ bucketStart: { order: "asc" } }],
        _source: { includes: MINUTE_FIELDS },
        ...(after ? { search_after: after } : {}),
      },
    } as never);
    const hits = (response.body as { hits?: { hits?: { _source: MinuteActivity; sort?: unknown[] }[] } }).hits?.hits ?? [];
    for (const h of hits) out.push({ ...h._source, bucketStart: Number(h._source.bucketStart) });
    if (hits.length < PAGE) return out;
    after = hits[hits.length - 1]?.sort;
    if (!after) return out;
  }
}

export const ACTIVITY_DEFINITION =
  "posts tagged with the coin and created in each bucket [t, t + tf) (every bucket overlapping [from, to), whole); authors: distinct authors, approximate (HyperLogLog, ≈1.6 % standard error); sentiment: mean of P(positive) − P(negative), null with no posts; close: the close of the coin's candle (all exchanges) in the bucket; return: close / the previous bucket's close − 1; correlation: Pearson's r of posts (activity) and of sentiment at bucket t with the return at t + lag, over the buckets where both are known";

export async function readSocialActivity(store: ApiStore, coin: string, symbol: string, tf: Timeframe, window: TimeWindow): Promise<SocialActivityAnswer> {
  const starts = activityBucketStarts(tf, window.from, window.to);
  const first = starts[0]!;
  const end = starts[starts.length - 1]! + TIMEFRAME_MS[tf];
  const [minutes, candles] = await Promise.all([
    readMinutes(store, coin, first, end),
    // One bucket earlier too: the first bucket's return needs the close before it.
    readCandles(store, tf, { from: first - TIMEFRAME_MS[tf], to: end }, symbol),
  ]);
  const closes = new Map(candles.map((c) => [Number(c.bucketStart), c.close]));
  const buckets = activityBuckets(tf, starts, minutes, closes);
  const returns = buckets.map((b) => b.return);
  return {
    coin,
    symbol,
    timeframe: tf,
    from: iso(first),
    to: iso(end),
    definition: ACTIVITY_DEFINITION,
    buckets,
    correlation: {
      activity: laggedCorrelation(buckets.map((b) => b.posts), returns),
      sentiment: laggedCorrelation(buckets.map((b) => b.sentiment), returns),
    },
  };
}
