// Where each candle is computed from, and in which round. Every candle is
// recomputed from documents one level down, never incremented:
//
//   exchange 1m                 ← trades
//   exchange 5m 15m 30m 1h      ← exchange 1m   (≤ 60 candles per bucket)
//   exchange 4h 1d              ← exchange 1h   (≤ 24)
//   exchange 1w                 ← exchange 1d   (7; weeks are whole UTC days)
//   all <tf>                    ← exchange <tf> of every exchange (one per exchange)
//
// A round may only read what earlier rounds wrote (and refreshed), so the
// rounds are the depths of this graph: 1m; 5m-1h + all 1m; 4h,1d + all 5m-1h;
// 1w + all 4h,1d; all 1w.
import { TIMEFRAMES, type Timeframe } from "./Timeframe.ts";

export type CandleScope = "exchange" | "all";

export interface CandleLevel {
  scope: CandleScope;
  timeframe: Timeframe;
  /** Source: the trades, or exchange-scope candles of this timeframe. */
  source: "trades" | Timeframe;
  /** 1-based round in which this level is computed. */
  round: number;
}

const EXCHANGE_SOURCE: Readonly<Record<Timeframe, "trades" | Timeframe>> = {
  "1m": "trades",
  "5m": "1m",
  "15m": "1m",
  "30m": "1m",
  "1h": "1m",
  "4h": "1h",
  "1d": "1h",
  "1w": "1d",
};

function exchangeRound(tf: Timeframe): number {
  const source = EXCHANGE_SOURCE[tf];
  return source === "trades" ? 1 : exchangeRound(source) + 1;
}

export const CANDLE_LEVELS: readonly CandleLevel[] = [
  ...TIMEFRAMES.map((tf) => ({ scope: "exchange" as const, timeframe: tf, source: EXCHANGE_SOURCE[tf], round: exchangeRound(tf) })),
  ...TIMEFRAMES.map((tf) => ({ scope: "all" as const, timeframe: tf, source: tf, round: exchangeRound(tf) + 1 })),
].sort((a, b) => a.round - b.round);

/** Levels grouped by round, in order. */
export const CANDLE_ROUNDS: readonly (readonly CandleLevel[])[] = (() => {
  const rounds: CandleLevel[][] = [];
  for (const level of CANDLE_LEVELS) (rounds[level.round - 1] ??= []).push(level);
  return rounds;
})();
