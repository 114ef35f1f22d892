import { z } from "zod";

/** Where a post came from: Bluesky's Jetstream (the free default) or the X API v2 filtered stream. */
export const SOCIAL_SOURCES = ["jetstream", "x"] as const;
export type SocialSource = (typeof SOCIAL_SOURCES)[number];

/** Coin symbols as the rest of the project writes them (BTC, ETH…): upper-case base assets. */
const coinSymbol = z.string().regex(/^[A-Z0-9]{1,15}$/, "must be an upper-case coin symbol such as BTC");
const count = z.number().int().nonnegative();

/**
 * One social post, normalised from any source, already matched to at least one coin.
 * `social.post/v1` is the payload of a `social.batch/v1` message (below).
 */
export const socialPostSchema = z.strictObject({
  source: z.enum(SOCIAL_SOURCES),
  /** The source's own id (Jetstream: the record's `at://did/app.bsky.feed.post/rkey` URI; X: the tweet id). */
  id: z.string().min(1).max(512),
  authorId: z.string().min(1).max(256),
  authorHandle: z.string().max(256).optional(),
  authorName: z.string().max(256).optional(),
  /** Where the source gives it (X user.fields public_metrics); Jetstream does not. */
  authorFollowers: count.optional(),
  text: z.string().min(1).max(10_000),
  /** BCP-47 tags as the source declares them (Bluesky `langs`, X `lang`). */
  langs: z.array(z.string().min(1).max(35)).max(8),
  hashtags: z.array(z.string().min(1).max(256)).max(100),
  likeCount: count.optional(),
  repostCount: count.optional(),
  /** A repost or quote of another post carries the original's id. */
  repostOf: z.string().min(1).max(512).optional(),
  createdAt: z.iso.datetime({ offset: true }),
  receivedAt: z.iso.datetime({ offset: true }),
  /** Coins the text mentions by the project's coin-mention rules (ambiguous tickers need evidence). */
  coins: z.array(coinSymbol).min(1).max(50),
});
export type SocialPost = z.infer<typeof socialPostSchema>;
export const SOCIAL_POST_SCHEMA = "social.post/v1";

/** A window's matched posts from one source: the payload of one `social-tasks` queue message. */
export const socialBatchSchema = z.strictObject({
  source: z.enum(SOCIAL_SOURCES),
  posts: z.array(socialPostSchema).min(1).max(500),
});
export type SocialBatch = z.infer<typeof socialBatchSchema>;
export const SOCIAL_BATCH_SCHEMA = "social.batch/v1";

/** Per coin and time bucket, what `GET /social/activity` answers beside the coin's price. */
export interface SocialActivityBucket {
  /** Bucket start, ISO-8601 UTC. */
  t: string;
  posts: number;
  /** Approximate distinct authors (HyperLogLog), merged across the minutes of the bucket. */
  authors: number;
  /** Mean sentiment score in [-1, 1] (P(positive) − P(negative)), null with no posts. */
  sentiment: number | null;
  positive: number;
  negative: number;
  /** The coin's close in the bucket, and its return against the previous bucket's close. */
  close: number | null;
  return: number | null;
}
