// Pure: what the consumer does to one `social.post/v1` before the model sees
// it — checks the message can be stored, re-checks its coin tags against the
// project's coin-mention rules, and gives it its deterministic id.
import type { SocialBatch, SocialPost } from "../../contracts/social.ts";
import { defaultCoinList } from "../nlp/coins/coinList.ts";
import { tagCoins } from "../nlp/coins/tagCoins.ts";
import { socialPostDocId } from "../store/documentIds.ts";

/** A post dated further ahead than this is a clock or unit error. */
export const MAX_FUTURE_MS = 24 * 3_600_000;

export interface PreparedPost {
  id: string;
  post: SocialPost;
  /** The post's coins that its text confirms (see confirmedCoins). */
  coins: string[];
}

/**
 * Coins of `post.coins` that stand: a coin of the shipped list (lib/nlp/coins)
 * must be evidenced by the text or hashtags under the same rules as news
 * (ambiguous tickers need a cashtag, a pair, the coin's name…); a coin the list
 * does not know came from the collector's own keyword configuration and is kept
 * as given.
 */
export function confirmedCoins(post: Pick<SocialPost, "text" | "hashtags" | "coins">, known: ReadonlySet<string> = knownCoins()): string[] {
  const text = post.hashtags.length > 0 ? `${post.text}\n${post.hashtags.map((h) => `#${h.replace(/^#/, "")}`).join(" ")}` : post.text;
  const found = new Set(tagCoins(text).map((t) => t.symbol));
  return [...new Set(post.coins)].filter((c) => !known.has(c) || found.has(c));
}

let known: Set<string> | undefined;
function knownCoins(): Set<string> {
  return (known ??= new Set(defaultCoinList().map((c) => c.symbol)));
}

/** Why a message's batch cannot be stored as it is (naming the post and field), or undefined. */
export function batchProblem(batch: SocialBatch, limits: { now: number; oldestAcceptedMs: number }): string | undefined {
  for (const [i, p] of batch.posts.entries()) {
    if (p.source !== batch.source) return `posts[${i}].source: "${p.source}" differs from the batch's source "${batch.source}"`;
    const created = Date.parse(p.createdAt);
    if (created > limits.now + MAX_FUTURE_MS) return `posts[${i}].createdAt: ${p.createdAt} is more than a day ahead of now`;
    // Its minute's activity is recomputed from the stored posts of that minute,
    // and those may already be gone past the retention.
    if (created < limits.oldestAcceptedMs) return `posts[${i}].createdAt: ${p.createdAt} is older than the social retention (SEARCH_SOCIAL_RETENTION_HOURS)`;
  }
  return undefined;
}

/** The batch's posts with their id and confirmed coins; posts left with no coin are dropped (`unconfirmed`). */
export function preparePosts(batch: SocialBatch): { posts: PreparedPost[]; unconfirmed: number } {
  const posts: PreparedPost[] = [];
  let unconfirmed = 0;
  for (const post of batch.posts) {
    const coins = confirmedCoins(post);
    if (coins.length === 0) unconfirmed++;
    else posts.push({ id: socialPostDocId(post.source, post.id), post, coins });
  }
  return { posts, unconfirmed };
}
