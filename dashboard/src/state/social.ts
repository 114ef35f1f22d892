// The social panel's pure state: live notifications merged into what the API
// answered, the activity as columns, the posts newest first, and the lagged
// correlation in one sentence.
import type { LaggedCorrelation, SocialData, SocialMinute, SocialPostItem } from "../../../contracts/api.ts";
import type { SocialActivityBucket } from "../../../contracts/social.ts";
import type { Timeframe } from "../../../contracts/timeframes.ts";

/** Posts kept in the panel's list. */
export const POSTS_SHOWN = 10;
/** |sentiment| below this reads as neutral. */
const NEUTRAL_BAND = 0.05;

/** Posts newest first without repeats (a data message may repeat what the API answered), at most `limit`. */
export function mergeLatestPosts(current: readonly SocialPostItem[], incoming: readonly SocialPostItem[], limit = POSTS_SHOWN): SocialPostItem[] {
  const byId = new Map<string, SocialPostItem>();
  for (const p of [...incoming, ...current]) if (!byId.has(p.id)) byId.set(p.id, p);
  return [...byId.values()].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id.localeCompare(b.id))).slice(0, limit);
}

const bucketOf = (m: SocialMinute): SocialActivityBucket => ({
  t: new Date(m.bucketStart).toISOString(),
  posts: m.posts,
  authors: m.authors,
  sentiment: m.posts > 0 ? m.meanScore : null,
  positive: m.positive,
  negative: m.negative,
  close: null,
  return: null,
});

/**
 * A data message's minutes applied to the buckets shown. With 1m buckets a
 * minute replaces its bucket (the message carries the minute's whole, current
 * value), keeping the price already shown. A longer bucket holds minutes the
 * message does not carry, so it cannot be patched: "reload" (refetch).
 */
export function applyLiveMinutes(buckets: readonly SocialActivityBucket[], data: Pick<SocialData, "minutes">, tf: Timeframe): SocialActivityBucket[] | "reload" {
  if (data.minutes.length === 0) return [...buckets];
  if (tf !== "1m") return "reload";
  const byT = new Map(buckets.map((b) => [b.t, b]));
  for (const m of data.minutes) {
    const next = bucketOf(m);
    const prior = byT.get(next.t);
    byT.set(next.t, prior ? { ...next, close: prior.close, return: prior.return } : next);
  }
  return [...byT.values()].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
}

export function sentimentTone(score: number | null | undefined): "up" | "down" | "" {
  if (score == null || !Number.isFinite(score) || Math.abs(score) < NEUTRAL_BAND) return "";
  return score > 0 ? "up" : "down";
}

/** "+0.42" / "−0.10" / "–" (no posts). */
export function formatScore(score: number | null | undefined): string {
  if (score == null || !Number.isFinite(score)) return "–";
  return `${score >= 0 ? "+" : "−"}${Math.abs(score).toFixed(2)}`;
}

/** One column per bucket: its posts, titled with authors and sentiment. */
export function activityColumns(buckets: readonly SocialActivityBucket[]): Array<{ label: string; value: number; text: string }> {
  return buckets.map((b) => ({
    label: b.t.slice(5, 16).replace("T", " "),
    value: b.posts,
    text: `${b.posts} posts, ~${b.authors} authors, sentiment ${formatScore(b.sentiment)}`,
  }));
}

/** The strongest lag as a sentence, or why there is none. */
export function correlationSentence(what: string, list: readonly LaggedCorrelation[]): string {
  const known = list.filter((c): c is LaggedCorrelation & { r: number } => c.r !== null);
  if (known.length === 0) return `${what} vs returns: not enough buckets with both.`;
  const best = known.reduce((a, b) => (Math.abs(b.r) > Math.abs(a.r) ? b : a));
  const when = best.lag === 0 ? "in the same bucket" : best.lag > 0 ? `leading returns by ${best.lag} bucket${best.lag > 1 ? "s" : ""}` : `following returns by ${-best.lag} bucket${best.lag < -1 ? "s" : ""}`;
  return `${what} vs returns: strongest r = ${best.r.toFixed(2)} ${when} (n = ${best.n}).`;
}
