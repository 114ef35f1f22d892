// The coin chart's series: API candles as chart bars, and where a live candle goes
// (the current bar moves, a new bucket appends, an older one is ignored).
import type { ApiCandle, PriceFeedData } from "../../../contracts/api.ts";
import type { Timeframe } from "../../../contracts/timeframes.ts";

export interface Bar {
  /** Bucket start in seconds (lightweight-charts' UTCTimestamp). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export function toBar(c: ApiCandle): Bar {
  return { time: Math.floor(c.bucketStart / 1000), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
}

export type LiveMerge = { kind: "update" | "append"; bar: Bar; bars: Bar[] } | { kind: "ignore"; bars: Bar[] };

/** Places a live bar: same time as the last → update, later → append, earlier → ignore. */
export function mergeLiveBar(bars: readonly Bar[], bar: Bar): LiveMerge {
  const last = bars[bars.length - 1];
  if (!last || bar.time > last.time) return { kind: "append", bar, bars: [...bars, bar] };
  if (bar.time === last.time) return { kind: "update", bar, bars: [...bars.slice(0, -1), bar] };
  return { kind: "ignore", bars: [...bars] };
}

/** The cross-exchange candle of `symbol` and `timeframe` in a price-feed message, newest first. */
export function liveCandlesFor(data: PriceFeedData, symbol: string, timeframe: Timeframe): Bar[] {
  return (data.candles ?? [])
    .filter((c) => c.exchange === "all" && c.symbol === symbol && c.timeframe === timeframe)
    .sort((a, b) => a.bucketStart - b.bucketStart)
    .map(toBar);
}
