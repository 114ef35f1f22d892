// History from the exchanges' klines: each kline is an exchange's own 1m candle,
// stored as that exchange's 1m candle (`origin: "klines"`), then every candle
// above it (all 1m, 5m … 1w of both scopes) recomputed from the stored 1m candles
// exactly as live trades do it (recomputeCandles), so history and live data meet
// in the same documents. Idempotent: the same klines again change nothing.
//
// Which of two 1m candles for a minute wins: a kline replaces a stored kline that
// differs (the exchange revised it, or it was read while the minute was open); it
// replaces a candle computed from stored trades only when it holds more volume (the
// exchange saw trades the collector missed). The live path keeps the same rule the
// other way round (recomputeCandles' keepKline).
import { addFailure, bulkWrite, isConflict, isOk, toStoreError, type BulkOperation } from "./bulkWrite.ts";
import { sameCandle } from "./candleAggregation.ts";
import { candleDocId } from "./documentIds.ts";
import { ConcurrentUpdateError, PermanentStoreError, type StoreError } from "./errors.ts";
import { readVersions, refKey } from "./readVersions.ts";
import { moreVolume, recomputeCandles } from "./recomputeCandles.ts";
import { bulkOptions, type StoreContext } from "./StoreContext.ts";
import type { Candle, Keyed } from "./types.ts";
import { isAboveExchangeMinute } from "../candles/candleLevels.ts";
import type { TradePoint } from "./candleTargets.ts";
import { ALL_EXCHANGES } from "./documentIds.ts";

const MINUTE = 60_000;

export interface KlineWriteResult {
  /** 1m candles written (new, or replacing a kline that differed or a less complete candle). */
  written: number;
  /** 1m candles already stored with this value. */
  unchanged: number;
  /** Minutes kept as they were: the trades stored for them hold at least the kline's volume. */
  kept: number;
  /** Candles above 1m (and the all-exchange 1m) written / already right. */
  derivedWritten: number;
  derivedUnchanged: number;
  /** Candle id → why it was not stored. */
  failed: Map<string, StoreError>;
}

/** Why `c` cannot be stored as a kline, or undefined. */
export function klineProblem(c: Candle): string | undefined {
  const positive = (v: number) => typeof v === "number" && Number.isFinite(v) && v > 0;
  const nonNegative = (v: number) => typeof v === "number" && Number.isFinite(v) && v >= 0;
  if (typeof c.exchange !== "string" || !/^[a-z0-9-]{1,32}$/.test(c.exchange) || c.exchange === ALL_EXCHANGES) return `exchange must be an exchange name, got ${String(c.exchange)}`;
  if (typeof c.symbol !== "string" || !/^[A-Z0-9]{2,40}$/.test(c.symbol)) return `symbol must be a store symbol such as BTCUSDT, got ${String(c.symbol)}`;
  if (c.timeframe !== "1m") return `timeframe must be 1m, got ${String(c.timeframe)}`;
  if (!Number.isSafeInteger(c.bucketStart) || c.bucketStart % MINUTE !== 0) return `bucketStart must be a whole minute in epoch ms, got ${String(c.bucketStart)}`;
  for (const f of ["open", "high", "low", "close"] as const) if (!positive(c[f])) return `${f} must be a positive number, got ${String(c[f])}`;
  if (c.low > Math.min(c.open, c.close) || c.high < Math.max(c.open, c.close)) return `low ≤ open, close ≤ high does not hold (${c.low}, ${c.open}, ${c.close}, ${c.high})`;
  for (const f of ["volume", "quoteVolume", "trades"] as const) if (!nonNegative(c[f])) return `${f} must be a number ≥ 0, got ${String(c[f])}`;
  return undefined;
}

interface Target {
  index: string;
  id: string;
  value: Candle;
}

export interface KlineWriteOptions {
  /** Only minutes with no stored 1m candle at all (filling a hole, never touching what is there). */
  onlyMissing?: boolean;
}

/** Stores `klines` (exchange 1m candles) and recomputes every candle they feed. */
export async function writeKlineCandles(ctx: StoreContext, klines: readonly Candle[], options: KlineWriteOptions = {}): Promise<KlineWriteResult> {
  const result: KlineWriteResult = { written: 0, unchanged: 0, kept: 0, derivedWritten: 0, derivedUnchanged: 0, failed: new Map() };
  const byId = new Map<string, Target>();
  for (const k of klines) {
    const problem = klineProblem(k);
    const id = problem === undefined ? candleDocId(k.exchange, k.symbol, "1m", k.bucketStart) : `${String(k.exchange)}|${String(k.symbol)}|1m|${String(k.bucketStart)}`;
    if (problem !== undefined) {
      addFailure(result.failed, id, new PermanentStoreError(problem, { type: "invalid_kline" }));
      continue;
    }
    // A kline's first and last trade times are unknown: the minute's bounds stand in.
    const value: Candle = { ...k, openTime: k.bucketStart, closeTime: k.bucketStart + MINUTE - 1, origin: "klines" };
    byId.set(id, { index: ctx.names.candles("1m", k.bucketStart), id, value });
  }

  const written = new Set<string>();
  let pending = [...byId.values()];
  for (let attempt = 0; pending.length > 0 && attempt < ctx.config.occMaxAttempts; attempt++) {
    const stored = await readVersions<Candle>(ctx.client, pending);
    const ops: BulkOperation[] = [];
    for (const t of pending) {
      const current = stored.get(refKey(t.index, t.id));
      if (current !== undefined && options.onlyMissing === true) {
        result.kept++;
        continue;
      }
      if (current !== undefined) {
        const s = current.source;
        if (s.origin === "klines" && sameCandle(s, t.value)) {
          result.unchanged++;
          continue;
        }
        if (s.origin !== "klines" && !moreVolume(t.value, s)) {
          result.kept++;
          continue;
        }
      }
      ops.push({
        action: current === undefined ? "create" : "index",
        index: t.index,
        id: t.id,
        doc: { ...t.value, updatedAt: ctx.now() },
        ifSeqNo: current?.seqNo,
        ifPrimaryTerm: current?.primaryTerm,
        keys: [t.id],
      });
    }
    // Refreshed with the write: the levels above read these next.
    const outcomes = ops.length > 0 ? await bulkWrite(ctx.client, ops, { ...bulkOptions(ctx.config), refresh: true }) : [];
    const next: Target[] = [];
    for (const r of outcomes) {
      if (isOk(r)) {
        result.written++;
        written.add(r.op.id);
      }
      else if (isConflict(r)) next.push(byId.get(r.op.id) as Target);
      else addFailure(result.failed, r.op.id, toStoreError(r));
    }
    pending = next;
  }
  for (const t of pending) {
    addFailure(result.failed, t.id, new ConcurrentUpdateError(`still conflicting after ${ctx.config.occMaxAttempts} attempts`, { type: "version_conflict_engine_exception", status: 409, index: t.index, id: t.id }));
  }

  // Every level above, for every minute given (not only the ones written now: a
  // run that stopped between the two steps is completed by the next one).
  const points: Keyed<TradePoint>[] = [];
  for (const t of byId.values()) if (!result.failed.has(t.id) && !(options.onlyMissing === true && !written.has(t.id))) points.push({ key: t.id, item: { exchange: t.value.exchange, symbol: t.value.symbol, time: t.value.bucketStart } });
  if (points.length > 0) {
    const derived = await recomputeCandles(ctx, points, { levels: isAboveExchangeMinute });
    result.derivedWritten = derived.written;
    result.derivedUnchanged = derived.unchanged;
    for (const [key, error] of derived.failed) addFailure(result.failed, key, error);
  }
  return result;
}
