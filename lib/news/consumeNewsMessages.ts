import { mapLimit } from "../async/mapLimit.ts";
import type { LogSink } from "../log/LogSink.ts";
import { sentimentDataTopic, sentimentRefreshTopic } from "../notify/topics.ts";
import type { Notifier } from "../notify/notifier.ts";
import { publishSafely, type Notification } from "../notify/publishSafely.ts";
import { outcomeFromStoreFailures } from "../queue/outcomeFromStoreFailures.ts";
import type { BatchOutcome, ConsumedMessage } from "../queue/processQueueBatch.ts";
import type { StoreContext } from "../store/StoreContext.ts";
import type { Keyed, NewsArticle as StoredArticle, SentimentAggregate } from "../store/types.ts";
import { writeNews } from "../store/writeNews.ts";
import type { NewsArticle } from "./article.ts";
import { enrichArticle, type Enrichment } from "./enrich/enrichArticle.ts";
import type { NlpServices } from "./enrich/NlpServices.ts";

export interface NewsConsumerDeps {
  store: StoreContext;
  notifier: Notifier;
  logger: LogSink;
  nlp: NlpServices;
  /** Articles enriched at once (each makes up to three inference calls). */
  enrichConcurrency?: number;
}

function toStoredArticle(article: NewsArticle, producedAt: string, e: Enrichment): StoredArticle {
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

/**
 * One SQS batch of news: enriches each article (summary, sentiment, keywords,
 * coin tags), stores the enriched ones (idempotent by canonical URL) with the
 * sentiment aggregates they touch, then notifies each tag's topics. An article
 * whose enrichment fails is not written at all and returns to the queue alone.
 */
export async function consumeNewsMessages(messages: ConsumedMessage<NewsArticle>[], deps: NewsConsumerDeps): Promise<BatchOutcome> {
  // Settled one by one: an article that fails enrichment fails alone.
  const enriched = await mapLimit(messages, deps.enrichConcurrency ?? 4, (m) =>
    enrichArticle(m.envelope.payload, deps.nlp).then(
      (value): PromiseSettledResult<Enrichment> => ({ status: "fulfilled", value }),
      (reason: unknown): PromiseSettledResult<Enrichment> => ({ status: "rejected", reason }),
    ),
  );
  const articles: Keyed<StoredArticle>[] = [];
  const notEnriched: string[] = [];
  enriched.forEach((r, i) => {
    const { messageId, envelope } = messages[i]!;
    if (r.status === "fulfilled") articles.push({ key: messageId, item: toStoredArticle(envelope.payload, envelope.producedAt, r.value) });
    else {
      notEnriched.push(messageId);
      deps.logger.warn("article not enriched; back to the queue", { messageId, url: envelope.payload.url, error: String(r.reason) });
    }
  });
  const result = articles.length > 0 ? await writeNews(deps.store, articles) : { stored: [], aggregates: [], failed: new Map() };
  for (const [key, error] of result.failed) deps.logger.warn("article not stored", { messageId: key, retryable: error.retryable, error: error.reason });
  deps.logger.info("news batch stored", { messages: messages.length, enrichFailed: notEnriched.length, stored: result.stored.length, failed: result.failed.size });
  await notifySentiment(deps, result.aggregates);
  const outcome = outcomeFromStoreFailures(result.failed);
  return { failedMessageIds: [...notEnriched, ...(outcome.failedMessageIds ?? [])], deadLetters: outcome.deadLetters ?? [] };
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
