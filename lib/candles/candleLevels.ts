// Where each candle is computed from, and in which round. Every candle is
// recomputed from documents one level down, never incremented:
//
//   exchange 1s (internal)      ← trades        (the trades of one second)
//   exchange 1m                 ← exchange 1s   (≤ 60)
//   exchange 5m 15m 30m 1h      ← exchange 1m   (≤ 60)
//   exchange 4h 1d 1w           ← exchange 1h   (≤ 24, or 168: weeks are whole UTC hours)
//   all 1m                      ← exchange 1m   (≤ one per exchange)
//   all <tf> (5m and up)        ← the same source as exchange <tf>, across every exchange
//
// Only the per-second level reads trades, so a batch re-reads the trades of
// the seconds it touched, not of the whole minute: the cost of a batch stays
// proportional to the batch, however busy the minute is.
//
// Computing `all` from the exchanges' lower level (rather than from the
// exchanges' candles of the same timeframe) puts both scopes of a timeframe
// in the same round. `all 1m` is the exception: it reads the exchanges' 1m
// candles, so a minute known only from an exchange's klines (history, no
// per-second partials under it) still reaches the cross-exchange view; it
// shares the round of 5m..1h, so the number of rounds does not grow. A round
// may only read what earlier rounds wrote (and refreshed), so the rounds are
// the depths of this graph: 1s; exchange 1m; all 1m, 5m 15m 30m 1h; 4h 1d 1w. (1w reads 168 hourly candles rather than 7 daily ones: one
// round — a search, a write and a refresh — fewer per batch.)
import { PARTIAL_TIMEFRAME, TIMEFRAMES, type CandleTimeframe } from "../../contracts/timeframes.ts";

export type CandleScope = "exchange" | "all";

export interface CandleLevel {
  scope: CandleScope;
  timeframe: CandleTimeframe;
  /** Source: the trades, or exchange-scope candles of this timeframe (of every exchange for scope `all`). */
  source: "trades" | CandleTimeframe;
  /** 1-based round in which this level is computed. */
  round: number;
}

const EXCHANGE_SOURCE: Readonly<Record<CandleTimeframe, "trades" | CandleTimeframe>> = {
  "1s": "trades",
  "1m": "1s",
  "5m": "1m",
  "15m": "1m",
  "30m": "1m",
  "1h": "1m",
  "4h": "1h",
  "1d": "1h",
  "1w": "1h",
};

function exchangeRound(tf: CandleTimeframe): number {
  const source = EXCHANGE_SOURCE[tf];
  return source === "trades" ? 1 : exchangeRound(source) + 1;
}

const allSource = (tf: CandleTimeframe): CandleTimeframe => (tf === "1m" ? "1m" : (EXCHANGE_SOURCE[tf] as CandleTimeframe));

export const CANDLE_LEVELS: readonly CandleLevel[] = [
  ...([PARTIAL_TIMEFRAME, ...TIMEFRAMES] as CandleTimeframe[]).map((tf) => ({ scope: "exchange" as const, timeframe: tf, source: EXCHANGE_SOURCE[tf], round: exchangeRound(tf) })),
  ...TIMEFRAMES.map((tf) => ({ scope: "all" as const, timeframe: tf, source: allSource(tf), round: exchangeRound(allSource(tf)) + 1 })),
].sort((a, b) => a.round - b.round);

/** Levels computed from exchange candles of 1m or longer: what a kline (an exchange's 1m candle) feeds. */
export const isAboveExchangeMinute = (level: CandleLevel): boolean => level.source !== "trades" && level.source !== PARTIAL_TIMEFRAME;

/** Levels grouped by round, in order. */
export const CANDLE_ROUNDS: readonly (readonly CandleLevel[])[] = (() => {
  const rounds: CandleLevel[][] = [];
  for (const level of CANDLE_LEVELS) (rounds[level.round - 1] ??= []).push(level);
  return rounds;
})();
