import { mapLimit } from "../async/mapLimit.ts";
import type { LogSink } from "../log/LogSink.ts";
import { sentimentDataTopic, sentimentRefreshTopic } from "../../contracts/topics.ts";
import type { Notifier } from "../notify/notifier.ts";
import { publishSafely, type Notification } from "../notify/publishSafely.ts";
import { outcomeFromFailures } from "../queue/outcomeFromFailures.ts";
import type { BatchOutcome, ConsumedMessage } from "../queue/processQueueBatch.ts";
import type { StoreContext } from "../store/StoreContext.ts";
import type { Keyed, EnrichedArticle, SentimentAggregate } from "../store/types.ts";
import { writeNews } from "../store/writeNews.ts";
import type { NewsArticle } from "../../contracts/news.ts";
import { enrichArticle, type Enrichment } from "./enrich/enrichArticle.ts";
import { PermanentError } from "../errors/failure.ts";
import type { NlpServices } from "./enrich/NlpServices.ts";

export interface NewsConsumerDeps {
  store: StoreContext;
  notifier: Notifier;
  logger: LogSink;
  nlp: NlpServices;
  /** Articles enriched at once (each makes three inference calls, in parallel). */
  enrichConcurrency?: number;
  /** Time left before the Lambda timeout (context.getRemainingTimeInMillis); without it there is no deadline. */
  remainingTimeMs?: () => number;
}

/** What one article's enrichment may take when the models run in this process (no call timeout bounds it). */
export const IN_PROCESS_ENRICH_MS = 5_000;
/** Kept for the write, the aggregates and the notifications after the last enrichment. */
export const WRITE_RESERVE_MS = 5_000;

/**
 * The time an article needs once started: its enrichment at worst (its calls
 * run in parallel, each bounded by the call timeout) and the batch's write.
 * One started with less left could be cut off by the Lambda timeout, and then
 * the whole batch, stored articles included, would be retried.
 */
export const articleBudgetMs = (nlp: NlpServices): number => (nlp.callTimeoutMs ?? IN_PROCESS_ENRICH_MS) + WRITE_RESERVE_MS;

function toStoredArticle(article: NewsArticle, producedAt: string, e: Enrichment): EnrichedArticle {
  return {
    url: article.url,
    title: article.title,
    source: article.source,
    ...(article.author ? { author: article.author } : {}),
    // An article without a date is filed under when it entered the pipeline.
    publishedAt: article.publishedAt ?? producedAt,
    ...(article.content ? { content: article.content } : {}),
    ...(e.summary ? { summary: e.summary } : {}),
    keywords: e.keywords,
    coins: e.coins,
    tags: article.tags ?? [],
    sentiment: e.sentiment,
    ingestedAt: producedAt,
  };
}

type Enriched = PromiseSettledResult<Enrichment> | { status: "unstarted" };

/**
 * One SQS batch of news: enriches each article (summary, sentiment, keywords,
 * coin tags), stores the enriched ones (idempotent by canonical URL) with the
 * sentiment aggregates they touch, then notifies each tag's topics.
 *
 * An article whose enrichment fails is not written at all: if the endpoint is
 * down or slow (EnrichmentUnavailableError, or anything unexpected) it returns
 * to the queue alone; if it can never succeed (EnrichmentFailedError: our
 * request refused, a malformed answer) it goes to the DLQ at once with the
 * reason. An article not started because too little time is left returns to
 * the queue too.
 */
export async function consumeNewsMessages(messages: ConsumedMessage<NewsArticle>[], deps: NewsConsumerDeps): Promise<BatchOutcome> {
  const budget = articleBudgetMs(deps.nlp);
  // Settled one by one: an article that fails enrichment fails alone.
  const enriched = await mapLimit(messages, deps.enrichConcurrency ?? 4, (m): Promise<Enriched> => {
    if (deps.remainingTimeMs && deps.remainingTimeMs() < budget) return Promise.resolve({ status: "unstarted" });
    return enrichArticle(m.envelope.payload, deps.nlp).then(
      (value) => ({ status: "fulfilled", value }),
      (reason: unknown) => ({ status: "rejected", reason }),
    );
  });
  const articles: Keyed<EnrichedArticle>[] = [];
  const notEnriched: string[] = [];
  const unstarted: string[] = [];
  const poisoned: Array<readonly [string, string]> = [];
  enriched.forEach((r, i) => {
    const { messageId, envelope } = messages[i]!;
    if (r.status === "fulfilled") articles.push({ key: messageId, item: toStoredArticle(envelope.payload, envelope.producedAt, r.value) });
    else if (r.status === "unstarted") unstarted.push(messageId);
    else if (r.reason instanceof PermanentError) {
      poisoned.push([messageId, `enrichment failed: ${r.reason.message}`]);
      deps.logger.warn("article can never be enriched; to the DLQ", { messageId, url: envelope.payload.url, error: r.reason.message });
    } else {
      notEnriched.push(messageId);
      deps.logger.warn("article not enriched; back to the queue", { messageId, url: envelope.payload.url, error: String(r.reason) });
    }
  });
  if (unstarted.length > 0) deps.logger.warn("too little time left to enrich more articles; back to the queue", { unstarted: unstarted.length, remainingMs: deps.remainingTimeMs?.(), budgetMs: budget });
  const result = articles.length > 0 ? await writeNews(deps.store, articles) : { stored: [], aggregates: [], failed: new Map() };
  for (const [key, error] of result.failed) deps.logger.warn("article not stored", { messageId: key, retryable: error.retryable, error: error.reason });
  deps.logger.info("news batch stored", {
    messages: messages.length,
    enrichFailed: notEnriched.length,
    poisoned: poisoned.length,
    unstarted: unstarted.length,
    stored: result.stored.length,
    failed: result.failed.size,
  });
  await notifySentiment(deps, result.aggregates);
  const outcome = outcomeFromFailures(result.failed);
  return { failedMessageIds: [...notEnriched, ...unstarted, ...(outcome.failedMessageIds ?? [])], deadLetters: [...poisoned, ...(outcome.deadLetters ?? [])] };
}

async function notifySentiment({ notifier, logger }: NewsConsumerDeps, aggregates: SentimentAggregate[]): Promise<void> {
  const byTag = new Map<string, SentimentAggregate[]>();
  for (const a of aggregates) byTag.set(a.tag, [...(byTag.get(a.tag) ?? []), a]);
  const at = new Date().toISOString();
  const notifications: Notification[] = [...byTag].flatMap(([tag, list]) => [
    { topic: () => sentimentRefreshTopic(tag), payload: { tag, at, timeframes: [...new Set(list.map((a) => a.timeframe))] } },
    { topic: () => sentimentDataTopic(tag), payload: { tag, at, aggregates: list } },
  ]);
  await publishSafely(notifier, notifications, logger);
}
