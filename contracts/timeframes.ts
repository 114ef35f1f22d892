// The candle timeframes and their lengths. Every bucket is aligned in UTC:
// minutes and hours on the epoch (which falls on a UTC midnight), days on UTC
// midnight, weeks on Monday 00:00 UTC (ISO week, as OpenSearch's calendar
// `1w` interval).

export const TIMEFRAMES = ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"] as const;

export type Timeframe = (typeof TIMEFRAMES)[number];

/**
 * Internal level: per-second partial candles per exchange, the only level
 * computed from trades (see candleLevels.ts). Stored, not served by the API.
 */
export const PARTIAL_TIMEFRAME = "1s" as const;

export type CandleTimeframe = Timeframe | typeof PARTIAL_TIMEFRAME;

const MINUTE = 60_000;

export const TIMEFRAME_MS: Readonly<Record<CandleTimeframe, number>> = {
  "1s": 1000,
  "1m": MINUTE,
  "5m": 5 * MINUTE,
  "15m": 15 * MINUTE,
  "30m": 30 * MINUTE,
  "1h": 60 * MINUTE,
  "4h": 240 * MINUTE,
  "1d": 1440 * MINUTE,
  "1w": 7 * 1440 * MINUTE,
};

export function isTimeframe(value: unknown): value is Timeframe {
  return typeof value === "string" && (TIMEFRAMES as readonly string[]).includes(value);
}
