// Pure: per-minute social activity merged into buckets of a timeframe, beside
// the coin's close and return in the same bucket. Counts add up; distinct
// authors merge the minutes' HyperLogLog sketches (an author active in several
// minutes of a bucket counts once).
import type { SocialActivityBucket } from "../../contracts/social.ts";
import type { Timeframe } from "../../contracts/timeframes.ts";
import { TIMEFRAME_MS } from "../../contracts/timeframes.ts";
import { bucketStart } from "../candles/bucketStart.ts";
import { HyperLogLog } from "../sketch/hyperLogLog.ts";
import type { SocialActivity } from "../store/types.ts";

export type MinuteActivity = Pick<SocialActivity, "bucketStart" | "posts" | "positive" | "negative" | "scoreSum" | "authorsHll">;

/** The buckets an activity answer covers: every `tf` bucket that overlaps [from, to), whole. */
export function activityBucketStarts(tf: Timeframe, from: number, to: number): number[] {
  const out: number[] = [];
  for (let s = bucketStart(tf, from); s < to; s += TIMEFRAME_MS[tf]) out.push(s);
  return out;
}

/**
 * One bucket per start in `starts` (ascending, consecutive). `closes` maps a
 * bucket start to the coin's close in it and must include the bucket before
 * the first, so the first bucket's return is known: return = close / previous
 * bucket's close − 1, null when either is missing.
 */
export function activityBuckets(tf: Timeframe, starts: readonly number[], minutes: readonly MinuteActivity[], closes: ReadonlyMap<number, number>): SocialActivityBucket[] {
  const acc = new Map<number, { posts: number; positive: number; negative: number; scoreSum: number; sketch: HyperLogLog }>();
  for (const m of minutes) {
    const s = bucketStart(tf, m.bucketStart);
    let a = acc.get(s);
    if (a === undefined) acc.set(s, (a = { posts: 0, positive: 0, negative: 0, scoreSum: 0, sketch: new HyperLogLog() }));
    a.posts += m.posts;
    a.positive += m.positive;
    a.negative += m.negative;
    a.scoreSum += m.scoreSum;
    a.sketch.merge(HyperLogLog.decode(m.authorsHll));
  }
  return starts.map((t) => {
    const a = acc.get(t);
    const close = closes.get(t) ?? null;
    const previous = closes.get(t - TIMEFRAME_MS[tf]) ?? null;
    return {
      t: new Date(t).toISOString(),
      posts: a?.posts ?? 0,
      authors: a ? a.sketch.count() : 0,
      sentiment: a && a.posts > 0 ? a.scoreSum / a.posts : null,
      positive: a?.positive ?? 0,
      negative: a?.negative ?? 0,
      close,
      return: close !== null && previous !== null && previous !== 0 ? close / previous - 1 : null,
    };
  });
}
