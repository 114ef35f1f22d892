import type { LogSink } from "../log/LogSink.ts";
import { priceFeedDataTopic, priceFeedRefreshTopic } from "../notify/topics.ts";
import type { Notifier } from "../notify/notifier.ts";
import { publishSafely, type Notification } from "../notify/publishSafely.ts";
import { outcomeFromStoreFailures } from "../queue/outcomeFromStoreFailures.ts";
import type { BatchOutcome, ConsumedMessage } from "../queue/processQueueBatch.ts";
import type { StoreContext } from "../store/StoreContext.ts";
import type { Candle, Keyed, Quote as StoredQuote, Trade as StoredTrade } from "../store/types.ts";
import { writeMarketBatch } from "../store/writeMarketBatch.ts";
import type { MarketBatch, Quote, Trade } from "./schemas.ts";

export interface MarketConsumerDeps {
  store: StoreContext;
  notifier: Notifier;
  logger: LogSink;
}

/** The store's symbol is exchange-independent (BTCUSDT for BTCUSDT, BTC-USDT and XBTUSD alike). */
export const storeSymbol = (base: string, quote: string): string => `${base}${quote}`;

function toStoredTrade(t: Trade): StoredTrade {
  return {
    exchange: t.exchange, symbol: storeSymbol(t.base, t.quote), base: t.base, quote: t.quote,
    tradeId: t.tradeId, price: t.price, size: t.size, side: t.side, time: t.ts, receivedAt: t.receivedAt,
  };
}

function toStoredQuote(q: Quote): StoredQuote {
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
export async function consumeMarketMessages(messages: ConsumedMessage<MarketBatch>[], deps: MarketConsumerDeps): Promise<BatchOutcome> {
  const trades: Keyed<StoredTrade>[] = [];
  const quotes: Keyed<StoredQuote>[] = [];
  const coinOf = new Map<string, string>();
  for (const { messageId, envelope } of messages) {
    for (const t of envelope.payload.trades) {
      trades.push({ key: messageId, item: toStoredTrade(t) });
      coinOf.set(storeSymbol(t.base, t.quote), t.base);
    }
    for (const q of envelope.payload.quotes) {
      quotes.push({ key: messageId, item: toStoredQuote(q) });
      coinOf.set(storeSymbol(q.base, q.quote), q.base);
    }
  }
  const result = await writeMarketBatch(deps.store, { trades, quotes });
  for (const [key, error] of result.failed) deps.logger.warn("market record not stored", { messageId: key, retryable: error.retryable, error: error.reason });
  deps.logger.info("market batch stored", { messages: messages.length, failed: result.failed.size, ...result.stats });

  await notifyPriceFeeds(deps, result.candles, result.quotes, coinOf);
  return outcomeFromStoreFailures(result.failed);
}

async function notifyPriceFeeds({ notifier, logger }: MarketConsumerDeps, candles: Candle[], quotes: StoredQuote[], coinOf: Map<string, string>): Promise<void> {
  const byCoin = new Map<string, { candles: Candle[]; quotes: StoredQuote[] }>();
  const entry = (symbol: string) => {
    const coin = coinOf.get(symbol) ?? symbol;
    let e = byCoin.get(coin);
    if (!e) byCoin.set(coin, (e = { candles: [], quotes: [] }));
    return e;
  };
  for (const c of candles) entry(c.symbol).candles.push(c);
  for (const q of quotes) entry(q.symbol).quotes.push(q);
  const at = new Date().toISOString();
  const notifications: Notification[] = [...byCoin].flatMap(([coin, { candles: cs, quotes: qs }]) => [
    {
      topic: () => priceFeedRefreshTopic(coin),
      payload: {
        coin, at,
        symbols: [...new Set([...cs.map((c) => c.symbol), ...qs.map((q) => q.symbol)])],
        timeframes: [...new Set(cs.map((c) => c.timeframe))],
        quotes: qs.length,
      },
    },
    { topic: () => priceFeedDataTopic(coin), payload: { coin, at, candles: cs, quotes: qs } },
  ]);
  await publishSafely(notifier, notifications, logger);
}
