// Pure: the stored form of a post once classified.
import { hllPoint } from "../sketch/hyperLogLog.ts";
import type { SentimentPrediction } from "../nlp/types.ts";
import type { NewsSentiment, SocialPostDoc } from "../store/types.ts";
import type { PreparedPost } from "./preparePost.ts";

/** Characters of a post the model reads: a long post (X allows 25,000) is judged by its opening, as a headline model reads ≤ 256 tokens. */
export const MAX_CLASSIFIED_CHARS = 1_000;

/** The text sent to the sentiment model: the whole post (a post is one short text), cut at a word if long. */
export function classifiedText(text: string): string {
  return text.length <= MAX_CLASSIFIED_CHARS ? text : text.slice(0, MAX_CLASSIFIED_CHARS).replace(/\s+\S*$/, "");
}

export function postSentiment(p: SentimentPrediction): NewsSentiment {
  const score = Math.max(-1, Math.min(1, p.scores.positive - p.scores.negative));
  return { label: p.label, score, scores: { ...p.scores } };
}

export function socialPostDoc({ post, coins }: PreparedPost, sentiment: SentimentPrediction, now: number): SocialPostDoc {
  const doc: SocialPostDoc = {
    source: post.source,
    postId: post.id,
    authorId: post.authorId,
    // The source and author id together: the same handle on two networks is two people.
    authorHll: hllPoint(`${post.source}|${post.authorId}`),
    text: post.text,
    langs: post.langs,
    hashtags: post.hashtags,
    createdAt: new Date(Date.parse(post.createdAt)).toISOString(),
    receivedAt: new Date(Date.parse(post.receivedAt)).toISOString(),
    coins,
    sentiment: postSentiment(sentiment),
    ingestedAt: new Date(now).toISOString(),
  };
  if (post.authorHandle !== undefined) doc.authorHandle = post.authorHandle;
  if (post.authorName !== undefined) doc.authorName = post.authorName;
  if (post.authorFollowers !== undefined) doc.authorFollowers = post.authorFollowers;
  if (post.likeCount !== undefined) doc.likeCount = post.likeCount;
  if (post.repostCount !== undefined) doc.repostCount = post.repostCount;
  if (post.repostOf !== undefined) doc.repostOf = post.repostOf;
  return doc;
}
