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

export interface NewsConsumerDeps {
  store: StoreContext;
  notifier: Notifier;
  logger: LogSink;
}

function toStoredArticle(article: NewsArticle, producedAt: string): StoredArticle {
  return {
    url: article.url,
    title: article.title,
    source: article.source,
    ...(article.author ? { author: article.author } : {}),
    // An article without a date is filed under when it entered the pipeline.
    publishedAt: article.publishedAt ?? producedAt,
    ...(article.content ? { content: article.content } : {}),
    tags: article.tags ?? [],
    ingestedAt: producedAt,
  };
}

/**
 * One SQS batch of news: stores the articles (idempotent by canonical URL) and
 * the sentiment aggregates they touch, then notifies each tag's topics.
 */
export async function consumeNewsMessages(messages: ConsumedMessage<NewsArticle>[], deps: NewsConsumerDeps): Promise<BatchOutcome> {
  const articles: Keyed<StoredArticle>[] = messages.map(({ messageId, envelope }) => ({
    key: messageId,
    item: toStoredArticle(envelope.payload, envelope.producedAt),
  }));
  const result = await writeNews(deps.store, articles);
  for (const [key, error] of result.failed) deps.logger.warn("article not stored", { messageId: key, retryable: error.retryable, error: error.reason });
  deps.logger.info("news batch stored", { messages: messages.length, stored: result.stored.length, failed: result.failed.size });
  await notifySentiment(deps, result.aggregates);
  return outcomeFromStoreFailures(result.failed);
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
