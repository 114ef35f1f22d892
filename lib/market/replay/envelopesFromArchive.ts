import { sha256Hex } from "../../../contracts/hash.ts";
import { canonicalUrl, newsArticleSchema, NEWS_ARTICLE_SCHEMA } from "../../../contracts/news.ts";
import type { Envelope } from "../../../contracts/envelope.ts";
import { marketEnvelopes } from "../collect/marketEnvelopes.ts";
import { quoteSchema, tradeSchema, type Quote, type Trade } from "../../../contracts/market.ts";

export interface ArchivedBatchPlan {
  market: Envelope[];
  news: Envelope[];
  trades: number;
  quotes: number;
  articles: number;
  /** Ticks (archived, never enqueued) and lines no schema accepts. */
  skipped: number;
}

/** `raw/<source>/yyyy/mm/dd/hh/<batchId>.jsonl.gz` → batchId. */
export function batchIdOfKey(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1);
  if (!name.endsWith(".jsonl.gz")) throw new RangeError(`"${key}" is not a raw archive object`);
  return name.slice(0, -".jsonl.gz".length);
}

/**
 * The envelopes an archived batch was (or would have been) enqueued as, with
 * the same ids: market records → `market.batch/v2` chunks `<batchId>-<i>`
 * (lib/market/collect/marketEnvelopes.ts), articles → `news.article/v1` with the
 * canonical-URL hash, as the webhook does. Same ids, so a replay is idempotent downstream.
 */
export function envelopesFromArchive(source: string, key: string, records: readonly unknown[], producedAt: Date, correlationId: string): ArchivedBatchPlan {
  const trades: Trade[] = [];
  const quotes: Quote[] = [];
  const news: Envelope[] = [];
  let skipped = 0;
  for (const record of records) {
    const trade = tradeSchema.safeParse(record);
    if (trade.success) {
      trades.push(trade.data);
      continue;
    }
    const quote = quoteSchema.safeParse(record);
    if (quote.success) {
      quotes.push(quote.data);
      continue;
    }
    const article = newsArticleSchema.safeParse(record);
    if (article.success) {
      news.push({
        schema: NEWS_ARTICLE_SCHEMA, id: sha256Hex(canonicalUrl(article.data.url)), source, producedAt: producedAt.toISOString(), correlationId, payload: article.data,
      });
      continue;
    }
    skipped++;
  }
  const exchange = trades[0]?.exchange ?? quotes[0]?.exchange ?? source;
  return {
    market: marketEnvelopes(exchange, batchIdOfKey(key), trades, quotes, producedAt, correlationId),
    news,
    trades: trades.length,
    quotes: quotes.length,
    articles: news.length,
    skipped,
  };
}
