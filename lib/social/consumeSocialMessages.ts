import type { SocialBatch } from "../../contracts/social.ts";
import { mapLimit } from "../async/mapLimit.ts";
import { PermanentError } from "../errors/failure.ts";
import type { LogSink } from "../log/LogSink.ts";
import type { SentimentPrediction } from "../nlp/types.ts";
import type { Notifier } from "../notify/notifier.ts";
import { publishSafely } from "../notify/publishSafely.ts";
import { outcomeFromFailures } from "../queue/outcomeFromFailures.ts";
import type { BatchOutcome, ConsumedMessage } from "../queue/processQueueBatch.ts";
import type { StoreContext } from "../store/StoreContext.ts";
import type { SocialPostDoc } from "../store/types.ts";
import { oldestAcceptedTrade } from "../store/validateMarketData.ts";
import { findStoredPosts, writeSocialPosts, type SocialPostWrite } from "../store/writeSocial.ts";
import { batchProblem, preparePosts, type PreparedPost } from "./preparePost.ts";
import { socialNotifications } from "./socialNotifications.ts";
import { classifiedText, socialPostDoc } from "./socialPostDoc.ts";

/** What the consumer needs of the models: NlpServices (lib/news/enrich) fits, remote or in process. */
export interface SentimentService {
  /** One prediction per text, in order. */
  sentiment(texts: readonly string[]): Promise<SentimentPrediction[]>;
  /** The longest one call may take (remote); unset in process. */
  readonly callTimeoutMs?: number;
}

export interface SocialConsumerDeps {
  store: StoreContext;
  notifier: Notifier;
  logger: LogSink;
  nlp: SentimentService;
  /** Messages classified at once. */
  classifyConcurrency?: number;
  /** Time left before the Lambda timeout; without it there is no deadline. */
  remainingTimeMs?: () => number;
}

/** Texts per sentiment call: the inference function takes at most 64 inputs. */
export const SENTIMENT_CHUNK = 64;
/** What one chunk may take in process (no call timeout bounds it). */
export const IN_PROCESS_CHUNK_MS = 5_000;
/** Kept for the write, the activity recompute and the notifications. */
export const WRITE_RESERVE_MS = 5_000;

type Classified = { status: "ok"; docs: Map<string, SocialPostDoc> } | { status: "unstarted" } | { status: "failed"; reason: unknown };

/**
 * One SQS batch of `social.batch/v1` messages: checks each message, drops
 * posts whose coins the text does not confirm, skips posts stored already (a
 * resumed window's overlap costs a read, not a model call), classifies the new
 * ones whole, stores them under their deterministic ids, recomputes the
 * activity of every (coin, minute) touched, then notifies each coin's topics.
 *
 * A message that can never be stored (a post from another source, dated past
 * the retention or far ahead) goes to the DLQ with the post and field at
 * fault; one whose classification fails returns to the queue (endpoint down,
 * slow) or goes to the DLQ (the endpoint refused it); one not started because
 * too little time is left returns to the queue.
 */
export async function consumeSocialMessages(messages: ConsumedMessage<SocialBatch>[], deps: SocialConsumerDeps): Promise<BatchOutcome> {
  const now = deps.store.now();
  const limits = { now, oldestAcceptedMs: oldestAcceptedTrade(now, deps.store.config.socialRetentionHours) };
  const poisoned: Array<readonly [string, string]> = [];
  const prepared: Array<{ messageId: string; posts: PreparedPost[] }> = [];
  let unconfirmed = 0;
  for (const m of messages) {
    const problem = batchProblem(m.envelope.payload, limits);
    if (problem !== undefined) {
      poisoned.push([m.messageId, `invalid social batch: ${problem}`]);
      deps.logger.warn("social batch can never be stored; to the DLQ", { messageId: m.messageId, reason: problem });
      continue;
    }
    const { posts, unconfirmed: n } = preparePosts(m.envelope.payload);
    unconfirmed += n;
    prepared.push({ messageId: m.messageId, posts });
  }

  let stored: Set<string>;
  try {
    stored = await findStoredPosts(deps.store, prepared.flatMap((m) => m.posts.map((p) => ({ id: p.id, createdAt: p.post.createdAt }))));
  } catch (error) {
    deps.logger.warn("could not look up stored posts; batch back to the queue", { error: String(error) });
    return { failedMessageIds: prepared.map((m) => m.messageId), deadLetters: poisoned };
  }

  const chunkBudget = (deps.nlp.callTimeoutMs ?? IN_PROCESS_CHUNK_MS) + WRITE_RESERVE_MS;
  const classified = await mapLimit(prepared, deps.classifyConcurrency ?? 2, async ({ posts }): Promise<Classified> => {
    const fresh = dedupe(posts.filter((p) => !stored.has(p.id)));
    const docs = new Map<string, SocialPostDoc>();
    try {
      for (let i = 0; i < fresh.length; i += SENTIMENT_CHUNK) {
        if (deps.remainingTimeMs && deps.remainingTimeMs() < chunkBudget) return { status: "unstarted" };
        const chunk = fresh.slice(i, i + SENTIMENT_CHUNK);
        const predictions = await deps.nlp.sentiment(chunk.map((p) => classifiedText(p.post.text)));
        if (predictions.length !== chunk.length) throw new PermanentError(`sentiment: ${predictions.length} predictions for ${chunk.length} texts`);
        chunk.forEach((p, j) => docs.set(p.id, socialPostDoc(p, predictions[j]!, now)));
      }
    } catch (reason) {
      return { status: "failed", reason };
    }
    return { status: "ok", docs };
  });

  const writes: SocialPostWrite[] = [];
  const notClassified: string[] = [];
  const unstarted: string[] = [];
  classified.forEach((c, i) => {
    const { messageId, posts } = prepared[i]!;
    if (c.status === "unstarted") unstarted.push(messageId);
    else if (c.status === "failed") {
      if (c.reason instanceof PermanentError) {
        poisoned.push([messageId, `classification failed: ${c.reason.message}`]);
        deps.logger.warn("social batch can never be classified; to the DLQ", { messageId, error: c.reason.message });
      } else {
        notClassified.push(messageId);
        deps.logger.warn("social batch not classified; back to the queue", { messageId, error: String(c.reason) });
      }
    } else {
      for (const p of posts) {
        const doc = c.docs.get(p.id);
        writes.push({ key: messageId, id: p.id, createdAt: p.post.createdAt, coins: p.coins, ...(doc !== undefined ? { doc } : {}) });
      }
    }
  });
  if (unstarted.length > 0) deps.logger.warn("too little time left to classify more posts; back to the queue", { unstarted: unstarted.length, remainingMs: deps.remainingTimeMs?.() });

  const result = writes.length > 0 ? await writeSocialPosts(deps.store, writes) : { created: [], duplicates: [], activity: [], failed: new Map() };
  for (const [key, error] of result.failed) deps.logger.warn("social batch not stored", { messageId: key, retryable: error.retryable, error: error.reason });
  deps.logger.info("social batch stored", {
    messages: messages.length,
    posts: writes.length,
    created: result.created.length,
    duplicates: result.duplicates.length,
    unconfirmed,
    poisoned: poisoned.length,
    notClassified: notClassified.length,
    unstarted: unstarted.length,
    minutes: result.activity.length,
    failed: result.failed.size,
  });
  const createdIds = new Set(result.created);
  const newDocs = classified.flatMap((c) => (c.status === "ok" ? [...c.docs].filter(([id]) => createdIds.has(id)).map(([, d]) => d) : []));
  await publishSafely(deps.notifier, socialNotifications(result.activity, newDocs, new Date(deps.store.now()).toISOString()), deps.logger);
  const outcome = outcomeFromFailures(result.failed);
  return {
    failedMessageIds: [...notClassified, ...unstarted, ...(outcome.failedMessageIds ?? [])],
    deadLetters: [...poisoned, ...(outcome.deadLetters ?? [])],
  };
}

/** The first of each id (a repost relayed twice in one window). */
function dedupe(posts: readonly PreparedPost[]): PreparedPost[] {
  const seen = new Set<string>();
  return posts.filter((p) => !seen.has(p.id) && (seen.add(p.id), true));
}
