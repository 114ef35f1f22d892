// Pure candle arithmetic: the reference definition the store's server-side
// aggregations must reproduce.
import type { CandleTimeframe } from "../../contracts/timeframes.ts";
import type { AnyCandle, MarketTrade } from "./types.ts";

/**
 * The total order of trades inside a candle: time, then exchange, then trade
 * id (byte order). `open` is the first trade in this order, `close` the last.
 */
export function compareTrades(a: MarketTrade, b: MarketTrade): number {
  if (a.time !== b.time) return a.time - b.time;
  if (a.exchange !== b.exchange) return a.exchange < b.exchange ? -1 : 1;
  return a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0;
}

/**
 * The candle of `trades` (all inside one bucket, at most one per trade id).
 * Returns undefined for an empty list.
 */
export function candleFromTrades(
  scope: string,
  symbol: string,
  timeframe: CandleTimeframe,
  bucketStart: number,
  trades: readonly MarketTrade[],
): AnyCandle | undefined {
  if (trades.length === 0) return undefined;
  let first = trades[0] as MarketTrade;
  let last = first;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  let quoteVolume = 0;
  for (const t of trades) {
    if (compareTrades(t, first) < 0) first = t;
    if (compareTrades(t, last) > 0) last = t;
    if (t.price > high) high = t.price;
    if (t.price < low) low = t.price;
    volume += t.size;
    quoteVolume += t.price * t.size;
  }
  return {
    exchange: scope,
    symbol,
    timeframe,
    bucketStart,
    open: first.price,
    high,
    low,
    close: last.price,
    volume,
    quoteVolume,
    trades: trades.length,
    openTime: first.time,
    closeTime: last.time,
  };
}
