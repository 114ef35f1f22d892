// Pure: the candle of a larger bucket (or of the `all` scope) from the candles
// it is made of. Valid when the parts cover disjoint sets of trades, which
// holds for sub-buckets of one exchange and for one bucket across exchanges.
import type { CandleTimeframe } from "../../contracts/timeframes.ts";
import type { AnyCandle } from "./types.ts";

/** Earliest first trade wins the open; ties go to the smaller exchange name (matches compareTrades). */
function opensBefore(a: AnyCandle, b: AnyCandle): boolean {
  return a.openTime < b.openTime || (a.openTime === b.openTime && a.exchange < b.exchange);
}

/** Latest last trade wins the close; ties go to the larger exchange name. */
function closesAfter(a: AnyCandle, b: AnyCandle): boolean {
  return a.closeTime > b.closeTime || (a.closeTime === b.closeTime && a.exchange > b.exchange);
}

export function mergeCandles(
  scope: string,
  symbol: string,
  timeframe: CandleTimeframe,
  bucketStart: number,
  parts: readonly AnyCandle[],
): AnyCandle | undefined {
  if (parts.length === 0) return undefined;
  let first = parts[0] as AnyCandle;
  let last = first;
  let high = -Infinity;
  let low = Infinity;
  let volume = 0;
  let quoteVolume = 0;
  let trades = 0;
  for (const c of parts) {
    if (opensBefore(c, first)) first = c;
    if (closesAfter(c, last)) last = c;
    if (c.high > high) high = c.high;
    if (c.low < low) low = c.low;
    volume += c.volume;
    quoteVolume += c.quoteVolume;
    trades += c.trades;
  }
  return {
    exchange: scope,
    symbol,
    timeframe,
    bucketStart,
    open: first.open,
    high,
    low,
    close: last.close,
    volume,
    quoteVolume,
    trades,
    openTime: first.openTime,
    closeTime: last.closeTime,
  };
}
