import { z } from "zod";
import { sha256Hex } from "../../contracts/hash.ts";
import { formatIssuePath, InvalidRequestError } from "../../contracts/validation.ts";
import type { Envelope } from "../../contracts/envelope.ts";
import { marketBatchSchema, MARKET_BATCH_SCHEMA, type MarketBatch } from "../../contracts/market.ts";
import { canonicalUrl, newsArticleSchema, NEWS_ARTICLE_SCHEMA, type NewsArticle } from "../../contracts/news.ts";
import { findInvalidSqsText, invalidSqsTextReason } from "../queue/sqsText.ts";

export const INGEST_KINDS = ["news", "prices"] as const;
export type IngestKind = (typeof INGEST_KINDS)[number];

const sourceName = z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, "must be a lower-case name such as u.today or binance");

// The original crawler's webhook records used `link` and `authorName`; both spellings are accepted.
const incomingArticle = z
  .looseObject({ link: z.string().optional(), authorName: z.string().optional() })
  .transform(({ link, authorName, ...rest }) => ({ ...rest, url: rest.url ?? link, author: rest.author ?? authorName }));

const newsBody = z.strictObject({
  source: sourceName,
  items: z.array(z.unknown()).min(1).max(500),
});

const pricesBody = z.strictObject({
  source: sourceName,
  trades: z.array(z.unknown()).max(20_000).optional(),
  quotes: z.array(z.unknown()).max(20_000).optional(),
});

export interface IngestPlan {
  source: string;
  batchId: string;
  /** What is archived: the validated records, one JSON line each. */
  records: unknown[];
  envelopes: Envelope[];
}

const TRADES_PER_MESSAGE = 500;

function check<T>(schema: z.ZodType<T>, value: unknown, prefix: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InvalidRequestError(formatIssuePath(prefix, issue.path), issue.message);
  }
  return result.data;
}

/** Validates a webhook body and plans what to archive and enqueue. Pure. */
export function planIngest(kind: IngestKind, body: unknown, now: Date, correlationId?: string): IngestPlan {
  if (body === undefined || body === null || typeof body !== "object") throw new InvalidRequestError("body", "must be a JSON object");
  // Text SQS would refuse is refused here, before the archive or any message is
  // written: otherwise the request fails half-way, after some batches were sent.
  const badText = findInvalidSqsText(body);
  if (badText) throw new InvalidRequestError(badText.path, invalidSqsTextReason(badText.codePoint));
  const batchId = sha256Hex(JSON.stringify(body));
  const envelopeBase = (source: string) => ({
    source,
    producedAt: now.toISOString(),
    correlationId: correlationId ?? batchId,
  });
  if (kind === "news") {
    const { source, items } = check(newsBody, body, "");
    const articles: NewsArticle[] = items.map((item, i) => {
      const normalised = check(incomingArticle, item, `items[${i}]`);
      return check(newsArticleSchema, { source, ...normalised }, `items[${i}]`);
    });
    return {
      source,
      batchId,
      records: articles,
      envelopes: articles.map((article) => ({
        schema: NEWS_ARTICLE_SCHEMA,
        id: sha256Hex(canonicalUrl(article.url)),
        ...envelopeBase(source),
        payload: article,
      })),
    };
  }
  const { source, trades = [], quotes = [] } = check(pricesBody, body, "");
  const batch = check(marketBatchSchema, { exchange: source, trades, quotes }, "");
  const envelopes: Envelope<MarketBatch>[] = [];
  const chunks = Math.max(Math.ceil(batch.trades.length / TRADES_PER_MESSAGE), Math.ceil(batch.quotes.length / TRADES_PER_MESSAGE), 1);
  for (let i = 0; i < chunks; i++) {
    const slice = (list: readonly unknown[]) => list.slice(i * TRADES_PER_MESSAGE, (i + 1) * TRADES_PER_MESSAGE);
    envelopes.push({
      schema: MARKET_BATCH_SCHEMA,
      id: `${batchId}-${i}`,
      ...envelopeBase(source),
      payload: { exchange: source, trades: slice(batch.trades), quotes: slice(batch.quotes) } as MarketBatch,
    });
  }
  return { source, batchId, records: [...batch.trades, ...batch.quotes], envelopes };
}
