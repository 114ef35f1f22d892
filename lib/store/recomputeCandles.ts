// Recomputes every candle (8 timeframes × exchange and `all` scope) touched
// by a batch of stored trades, round by round (see candleLevels.ts): each
// round reads versions, aggregates the sources in as few searches as
// possible, and writes conditionally, refreshing with the write (bulk
// `refresh=true`) so the next round can aggregate what it wrote.
import { addFailure } from "./bulkWrite.ts";
import { buildCandleSearches, parseCandleSearch, sameCandle } from "./candleAggregation.ts";
import type { CandleLevel } from "../candles/candleLevels.ts";
import { candleTargets, type CandleTarget, type TradePoint } from "./candleTargets.ts";
import type { StoreError } from "./errors.ts";
import { recomputeDocuments } from "./recomputeDocuments.ts";
import { bulkOptions, type StoreContext } from "./StoreContext.ts";
import { PARTIAL_TIMEFRAME } from "../../contracts/timeframes.ts";
import type { AnyCandle, Candle, Keyed } from "./types.ts";

export interface CandleRecomputeResult {
  /** Current value of every touched candle of a served timeframe (written now or already right). */
  candles: Candle[];
  /** The served candles among them whose stored value this call changed (a late trade's repairs). */
  changed: Candle[];
  written: number;
  unchanged: number;
  conflicts: number;
  searches: number;
  failed: Map<string, StoreError>;
}

/**
 * A stored kline (an exchange's own 1m candle) stays while the trades stored for
 * its minute add up to less volume: the exchange saw them all, we saw some.
 */
export function keepKline(stored: AnyCandle, computed: AnyCandle): boolean {
  return stored.origin === "klines" && computed.origin !== "klines" && moreVolume(stored, computed);
}

/** `a` holds more volume than `b`, beyond the rounding of sums added in another order. */
export function moreVolume(a: AnyCandle, b: AnyCandle): boolean {
  return a.volume > b.volume * (1 + 1e-9);
}

/** Served timeframes only (not the internal per-second partials). */
function isServed(c: AnyCandle): c is Candle {
  return c.timeframe !== PARTIAL_TIMEFRAME;
}

export interface RecomputeCandlesOptions {
  /** Only these levels (default: all); see candleTargets. */
  levels?: (level: CandleLevel) => boolean;
}

export async function recomputeCandles(ctx: StoreContext, trades: readonly Keyed<TradePoint>[], options: RecomputeCandlesOptions = {}): Promise<CandleRecomputeResult> {
  const out: CandleRecomputeResult = { candles: [], changed: [], written: 0, unchanged: 0, conflicts: 0, searches: 0, failed: new Map() };
  const rounds = candleTargets(trades, ctx.names, options.levels);
  const bulk = bulkOptions(ctx.config);
  for (let r = 0; r < rounds.length; r++) {
    const targets = rounds[r] as CandleTarget[];
    if (targets.length === 0) continue;
    // A later round reads what this one writes: the write refreshes its shards.
    const feedsLater = rounds.slice(r + 1).some((later) => later.length > 0);
    const result = await recomputeDocuments<AnyCandle, CandleTarget>(ctx.client, targets, {
      compute: async (pending) => {
        const values = new Map<string, AnyCandle>();
        for (const search of buildCandleSearches(pending, ctx.names)) {
          out.searches++;
          const response = await ctx.client.search({
            index: search.indices.join(","),
            ignore_unavailable: true,
            body: search.body as never,
          });
          for (const [k, v] of parseCandleSearch(search, response.body as never)) values.set(k, v);
        }
        return values;
      },
      same: sameCandle,
      keep: keepKline,
      toDoc: (c) => ({ ...c, updatedAt: ctx.now() }),
      maxAttempts: ctx.config.occMaxAttempts,
      bulk: { ...bulk, refresh: feedsLater },
    });
    out.written += result.written;
    out.unchanged += result.unchanged;
    out.conflicts += result.conflicts;
    for (const [key, error] of result.failed) addFailure(out.failed, key, error);
    for (const [k, v] of result.values) {
      if (!isServed(v)) continue;
      out.candles.push(v);
      if (result.changed.has(k)) out.changed.push(v);
    }
  }
  return out;
}
