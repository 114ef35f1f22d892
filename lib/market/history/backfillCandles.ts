// History for one exchange and symbol: the exchange's 1-minute klines over a range,
// page by page, stored as that exchange's 1m candles with every timeframe above
// them recomputed (lib/store/writeKlineCandles.ts). Only closed minutes are
// written: the current minute's kline is still growing, and live trades cover it.
import { normaliseSymbol, storeSymbol } from "../../../contracts/symbols.ts";
import type { StoreContext } from "../../store/StoreContext.ts";
import type { Candle } from "../../store/types.ts";
import { writeKlineCandles } from "../../store/writeKlineCandles.ts";
import { fetchKlinePages, type FetchKlineOptions } from "./fetchKlinePages.ts";
import type { Kline } from "./KlineSource.ts";

const MINUTE = 60_000;

export interface BackfillProgress {
  from: number;
  to: number;
  klines: number;
  written: number;
  unchanged: number;
  kept: number;
  derivedWritten: number;
}

export interface BackfillSummary {
  exchange: string;
  symbol: string;
  storeSymbol: string;
  pages: number;
  requests: number;
  klines: number;
  written: number;
  unchanged: number;
  kept: number;
  derivedWritten: number;
  derivedUnchanged: number;
  failed: number;
  firstFailure?: string;
  ms: number;
}

export interface BackfillOptions extends Omit<FetchKlineOptions, "to"> {
  store: StoreContext;
  to: number;
  now?: () => number;
  /** Write only minutes with no stored candle (writeKlineCandles' onlyMissing). */
  onlyMissing?: boolean;
  onPage?: (page: BackfillProgress) => void;
}

export function klineCandle(exchange: string, symbol: string, k: Kline): Candle {
  return {
    exchange, symbol, timeframe: "1m", bucketStart: k.openTime,
    open: k.open, high: k.high, low: k.low, close: k.close,
    volume: k.volume, quoteVolume: k.quoteVolume, trades: k.trades ?? 0,
    openTime: k.openTime, closeTime: k.openTime + MINUTE - 1, origin: "klines",
  };
}

export async function backfillCandles(o: BackfillOptions): Promise<BackfillSummary> {
  const started = Date.now();
  const pair = normaliseSymbol(o.symbol);
  if (!pair) throw new RangeError(`symbol ${o.symbol} is not a pair (such as BTCUSDT, BTC-USDT, XBTUSD)`);
  const symbol = storeSymbol(pair.base, pair.quote);
  const closedBefore = Math.floor((o.now ?? Date.now)() / MINUTE) * MINUTE;
  const to = Math.min(o.to, closedBefore);
  const s: BackfillSummary = {
    exchange: o.source.exchange, symbol: o.symbol, storeSymbol: symbol, pages: 0, requests: 0, klines: 0,
    written: 0, unchanged: 0, kept: 0, derivedWritten: 0, derivedUnchanged: 0, failed: 0, ms: 0,
  };
  for await (const page of fetchKlinePages({ ...o, to })) {
    s.pages++;
    s.requests += page.requests;
    s.klines += page.klines.length;
    const r = page.klines.length > 0 ? await writeKlineCandles(o.store, page.klines.map((k) => klineCandle(o.source.exchange, symbol, k)), { onlyMissing: o.onlyMissing }) : undefined;
    if (r) {
      s.written += r.written;
      s.unchanged += r.unchanged;
      s.kept += r.kept;
      s.derivedWritten += r.derivedWritten;
      s.derivedUnchanged += r.derivedUnchanged;
      s.failed += r.failed.size;
      if (s.firstFailure === undefined && r.failed.size > 0) {
        const [id, error] = r.failed.entries().next().value as [string, { reason: string }];
        s.firstFailure = `${id}: ${error.reason}`;
      }
    }
    o.onPage?.({ from: page.from, to: page.to, klines: page.klines.length, written: r?.written ?? 0, unchanged: r?.unchanged ?? 0, kept: r?.kept ?? 0, derivedWritten: r?.derivedWritten ?? 0 });
  }
  s.ms = Date.now() - started;
  return s;
}
