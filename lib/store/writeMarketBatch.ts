// One consumer batch of market data: trades (stored idempotently, then every
// touched candle recomputed) and quotes (newest wins). Failures come back
// keyed by the caller's record keys, so only those records are retried.
import { addFailure } from "./bulkWrite.ts";
import { recomputeCandles } from "./recomputeCandles.ts";
import { RetryableStoreError, type StoreError } from "./errors.ts";
import type { StoreContext } from "./StoreContext.ts";
import type { Candle, Keyed, QuoteDoc, MarketTrade } from "./types.ts";
import { writeQuotes } from "./writeQuotes.ts";
import { writeTrades } from "./writeTrades.ts";

export interface MarketWrite {
  trades?: readonly Keyed<MarketTrade>[];
  quotes?: readonly Keyed<QuoteDoc>[];
}

export interface MarketWriteStats {
  tradesCreated: number;
  tradesDuplicate: number;
  candlesWritten: number;
  candlesUnchanged: number;
  candleConflicts: number;
  candleSearches: number;
  quotesAccepted: number;
  quotesStale: number;
  elapsedMs: number;
}

export interface MarketWriteResult {
  /** Record key → why it failed. Every other record's effect is stored. */
  failed: Map<string, StoreError>;
  /** Current value of every candle the batch touched (for notifications). */
  candles: Candle[];
  /** Those whose stored value this batch changed: what a refresh notification names. */
  changedCandles: Candle[];
  /** Quotes that became the latest. */
  quotes: QuoteDoc[];
  stats: MarketWriteStats;
}

async function writeTradesAndCandles(ctx: StoreContext, trades: readonly Keyed<MarketTrade>[]) {
  const stored = await writeTrades(ctx, trades);
  const failed = new Map(stored.failed);
  let candles: Awaited<ReturnType<typeof recomputeCandles>> | undefined;
  if (stored.stored.length > 0) {
    try {
      // The trades' bulk refreshed their indices: the candles can read them.
      candles = await recomputeCandles(ctx, stored.stored);
      for (const [key, error] of candles.failed) addFailure(failed, key, error);
    } catch (err) {
      const error = new RetryableStoreError((err as Error).message, { type: "candle_update_failed" }, { cause: err });
      for (const { key } of stored.stored) addFailure(failed, key, error);
    }
  }
  return { stored, candles, failed };
}

export async function writeMarketBatch(ctx: StoreContext, batch: MarketWrite): Promise<MarketWriteResult> {
  const started = performance.now();
  const [t, q] = await Promise.all([
    writeTradesAndCandles(ctx, batch.trades ?? []),
    writeQuotes(ctx, batch.quotes ?? []),
  ]);
  const failed = t.failed;
  for (const [key, error] of q.failed) addFailure(failed, key, error);
  return {
    failed,
    candles: t.candles?.candles ?? [],
    changedCandles: t.candles?.changed ?? [],
    quotes: q.accepted,
    stats: {
      tradesCreated: t.stored.created,
      tradesDuplicate: t.stored.duplicates,
      candlesWritten: t.candles?.written ?? 0,
      candlesUnchanged: t.candles?.unchanged ?? 0,
      candleConflicts: t.candles?.conflicts ?? 0,
      candleSearches: t.candles?.searches ?? 0,
      quotesAccepted: q.accepted.length,
      quotesStale: q.stale,
      elapsedMs: performance.now() - started,
    },
  };
}
