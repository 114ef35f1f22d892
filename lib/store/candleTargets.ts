// Pure: the candles a batch of trades touches, per round, each with the keys
// of the records whose trades fall in it.
import { bucketStart } from "../candles/bucketStart.ts";
import { CANDLE_ROUNDS, type CandleLevel } from "../candles/candleLevels.ts";
import { ALL_EXCHANGES, candleDocId } from "./documentIds.ts";
import type { IndexNames } from "./IndexNames.ts";
import type { Keyed } from "./types.ts";

export interface CandleTarget {
  level: CandleLevel;
  /** Exchange name or `all`. */
  scope: string;
  symbol: string;
  bucketStart: number;
  index: string;
  id: string;
  owners: string[];
}

export interface TradePoint {
  exchange: string;
  symbol: string;
  time: number;
}

/**
 * `include` narrows the levels: history from klines (exchange 1m candles
 * written directly) recomputes only the levels above them.
 */
export function candleTargets(trades: readonly Keyed<TradePoint>[], names: IndexNames, include: (level: CandleLevel) => boolean = () => true): CandleTarget[][] {
  // Group by (exchange, symbol, second) first: every level is a whole number
  // of seconds aligned on second boundaries, so the second decides every bucket.
  const seconds = new Map<string, { exchange: string; symbol: string; second: number; owners: Set<string> }>();
  for (const { key, item } of trades) {
    const second = bucketStart("1s", item.time);
    const k = `${item.exchange}|${item.symbol}|${second}`;
    let m = seconds.get(k);
    if (m === undefined) seconds.set(k, (m = { exchange: item.exchange, symbol: item.symbol, second, owners: new Set() }));
    m.owners.add(key);
  }
  return CANDLE_ROUNDS.map((levels) => {
    const byId = new Map<string, { target: Omit<CandleTarget, "owners">; owners: Set<string> }>();
    for (const level of levels) {
      if (!include(level)) continue;
      for (const m of seconds.values()) {
        const scope = level.scope === "all" ? ALL_EXCHANGES : m.exchange;
        const start = bucketStart(level.timeframe, m.second);
        const id = candleDocId(scope, m.symbol, level.timeframe, start);
        let entry = byId.get(id);
        if (entry === undefined) {
          const target = { level, scope, symbol: m.symbol, bucketStart: start, index: names.candles(level.timeframe, start), id };
          byId.set(id, (entry = { target, owners: new Set() }));
        }
        for (const owner of m.owners) entry.owners.add(owner);
      }
    }
    return [...byId.values()].map(({ target, owners }) => ({ ...target, owners: [...owners] }));
  });
}
