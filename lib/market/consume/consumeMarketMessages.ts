import type { z } from "zod";
import type { LogSink } from "../../log/LogSink.ts";
import { priceFeedDataTopic, priceFeedRefreshTopic } from "../../../contracts/topics.ts";
import { changedBuckets, priceFeedData } from "./priceFeedPayload.ts";
import type { PriceFeedRefresh } from "../../../contracts/api.ts";
import type { Notifier } from "../../notify/notifier.ts";
import { publishSafely, type Notification } from "../../notify/publishSafely.ts";
import { outcomeFromFailures } from "../../queue/outcomeFromFailures.ts";
import type { BatchOutcome, ConsumedMessage } from "../../queue/processQueueBatch.ts";
import type { StoreContext } from "../../store/StoreContext.ts";
import { addFailure } from "../../store/bulkWrite.ts";
import type { Candle, Keyed, ListingDoc, QuoteDoc, MarketTrade } from "../../store/types.ts";
import { writeListings } from "../../store/writeListings.ts";
import { writeMarketBatch } from "../../store/writeMarketBatch.ts";
import { type MarketListing } from "../../../contracts/listing.ts";
import { marketListingSchema } from "../../../contracts/listing.ts";
import { MARKET_LISTING_SCHEMA } from "../../../contracts/listing.ts";
import { MARKET_BATCH_SCHEMA, MARKET_BATCH_V2_SCHEMA, marketBatchSchema, marketBatchV2Schema, type MarketBatch, type Quote, type Trade } from "../../../contracts/market.ts";
import { MARKET_COMPLETENESS_SCHEMA, marketCompletenessSchema, type MarketCompleteness } from "../../../contracts/completeness.ts";
import { consumeCompleteness } from "./consumeCompleteness.ts";
import { storeSymbol } from "../../../contracts/symbols.ts";

/** What the price queue carries: collector/webhook batches, listing rows from the price scrapers, the collector's completeness reports. */
export type PricePayload = MarketBatch | MarketListing | MarketCompleteness;
export const PRICE_PAYLOAD_SCHEMAS: Readonly<Record<string, z.ZodType<PricePayload>>> = {
  [MARKET_BATCH_SCHEMA]: marketBatchSchema,
  // Collectors and replay write v2 (columns); the ingest webhook writes v1. Both validate to v1's shape.
  [MARKET_BATCH_V2_SCHEMA]: marketBatchV2Schema,
  [MARKET_LISTING_SCHEMA]: marketListingSchema,
  [MARKET_COMPLETENESS_SCHEMA]: marketCompletenessSchema,
};

export interface MarketConsumerDeps {
  store: StoreContext;
  notifier: Notifier;
  logger: LogSink;
}

function toStoredTrade(t: Trade): MarketTrade {
  return {
    exchange: t.exchange, symbol: storeSymbol(t.base, t.quote), base: t.base, quote: t.quote,
    tradeId: t.tradeId, price: t.price, size: t.size, side: t.side, time: t.ts, receivedAt: t.receivedAt,
  };
}

function toStoredQuote(q: Quote): QuoteDoc {
  return {
    exchange: q.exchange, symbol: storeSymbol(q.base, q.quote), bid: q.bid, ask: q.ask,
    ...(q.bidSize !== undefined ? { bidSize: q.bidSize } : {}),
    ...(q.askSize !== undefined ? { askSize: q.askSize } : {}),
    ...(q.last !== undefined ? { last: q.last } : {}),
    at: q.ts, receivedAt: q.receivedAt,
  };
}

/**
 * One SQS batch of market data: stores trades (candles recomputed) and quotes,
 * then notifies each coin's price feed. Only records whose writes failed are
 * returned for retry; a notification failure never fails the batch.
 */
export async function consumeMarketMessages(messages: ConsumedMessage<PricePayload>[], deps: MarketConsumerDeps): Promise<BatchOutcome> {
  const trades: Keyed<MarketTrade>[] = [];
  const quotes: Keyed<QuoteDoc>[] = [];
  const listings: Keyed<ListingDoc>[] = [];
  const coinOf = new Map<string, string>();
  const reports: Keyed<MarketCompleteness>[] = [];
  for (const { messageId, envelope } of messages) {
    if (envelope.schema === MARKET_COMPLETENESS_SCHEMA) {
      reports.push({ key: messageId, item: envelope.payload as MarketCompleteness });
      continue;
    }
    if (envelope.schema === MARKET_LISTING_SCHEMA) {
      const l = envelope.payload as MarketListing;
      listings.push({ key: messageId, item: { ...l, observedAt: Date.parse(l.observedAt) } });
      continue;
    }
    const batch = envelope.payload as MarketBatch;
    for (const t of batch.trades) {
      trades.push({ key: messageId, item: toStoredTrade(t) });
      coinOf.set(storeSymbol(t.base, t.quote), t.base);
    }
    for (const q of batch.quotes) {
      quotes.push({ key: messageId, item: toStoredQuote(q) });
      coinOf.set(storeSymbol(q.base, q.quote), q.base);
    }
  }
  const [result, listed, completeness] = await Promise.all([
    writeMarketBatch(deps.store, { trades, quotes }),
    listings.length > 0 ? writeListings(deps.store, listings) : undefined,
    consumeCompleteness(reports, deps),
  ]);
  for (const [key, error] of listed?.failed ?? []) addFailure(result.failed, key, error);
  for (const [key, error] of completeness) addFailure(result.failed, key, error);
  for (const [key, error] of result.failed) deps.logger.warn("market record not stored", { messageId: key, retryable: error.retryable, error: error.reason });
  deps.logger.info("market batch stored", { messages: messages.length, failed: result.failed.size, ...result.stats, listingsAccepted: listed?.accepted.length ?? 0 });

  await notifyPriceFeeds(deps, result.candles, result.changedCandles, result.quotes, coinOf, listed?.accepted ?? []);
  return outcomeFromFailures(result.failed);
}

async function notifyPriceFeeds(
  { notifier, logger }: MarketConsumerDeps,
  candles: Candle[],
  changed: Candle[],
  quotes: QuoteDoc[],
  coinOf: Map<string, string>,
  listings: ListingDoc[],
): Promise<void> {
  const byCoin = new Map<string, { candles: Candle[]; changed: Candle[]; quotes: QuoteDoc[]; listings: ListingDoc[] }>();
  const entry = (symbol: string) => {
    const coin = coinOf.get(symbol) ?? symbol;
    let e = byCoin.get(coin);
    if (!e) byCoin.set(coin, (e = { candles: [], changed: [], quotes: [], listings: [] }));
    return e;
  };
  for (const c of candles) entry(c.symbol).candles.push(c);
  for (const c of changed) entry(c.symbol).changed.push(c);
  for (const q of quotes) entry(q.symbol).quotes.push(q);
  for (const l of listings) entry(l.symbol).listings.push(l);
  const at = new Date().toISOString();
  const notifications: Notification[] = [...byCoin].flatMap(([coin, { candles: cs, changed: ch, quotes: qs, listings: ls }]) => {
    const refresh: PriceFeedRefresh = {
      coin, at,
      symbols: [...new Set([...cs.map((c) => c.symbol), ...qs.map((q) => q.symbol)])],
      timeframes: [...new Set(cs.map((c) => c.timeframe))],
      quotes: qs.length,
      listings: ls.length,
      changed: changedBuckets(ch),
    };
    // Nothing changed (a redelivery, a repeated late trade): no refresh to ask for.
    const changedSomething = ch.length > 0 || qs.length > 0 || ls.length > 0;
    return [
      ...(changedSomething ? [{ topic: () => priceFeedRefreshTopic(coin), payload: refresh }] : []),
      { topic: () => priceFeedDataTopic(coin), payload: priceFeedData({ coin, at, candles: cs, quotes: qs, listings: ls }) },
    ];
  });
  await publishSafely(notifier, notifications, logger);
}
