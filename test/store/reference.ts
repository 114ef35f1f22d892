// Independent reference computations for the tests: calendar arithmetic with
// Date's UTC fields (not the modular arithmetic of lib/store), candles by
// sorting trades, and a seeded trade generator.
import type { Timeframe } from "../../contracts/timeframes.ts";
import type { AnyCandle, Candle, MarketTrade } from "../../lib/store/types.ts";
import { rng } from "../helpers/rng.ts";

export const TFS: Timeframe[] = ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"];

/** Bucket start by taking the UTC calendar fields apart. */
export function refBucketStart(tf: Timeframe, ms: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const day = d.getUTCDate();
  const h = d.getUTCHours();
  const mi = d.getUTCMinutes();
  switch (tf) {
    case "1m":
      return Date.UTC(y, mo, day, h, mi);
    case "5m":
      return Date.UTC(y, mo, day, h, mi - (mi % 5));
    case "15m":
      return Date.UTC(y, mo, day, h, mi - (mi % 15));
    case "30m":
      return Date.UTC(y, mo, day, h, mi - (mi % 30));
    case "1h":
      return Date.UTC(y, mo, day, h);
    case "4h":
      return Date.UTC(y, mo, day, h - (h % 4));
    case "1d":
      return Date.UTC(y, mo, day);
    case "1w": {
      const sinceMonday = (d.getUTCDay() + 6) % 7; // Sunday=0 → 6
      return Date.UTC(y, mo, day - sinceMonday);
    }
  }
}

/** Every candle of `trades` (deduplicated by exchange+symbol+tradeId), both scopes, all timeframes. */
export function refCandles(trades: readonly MarketTrade[]): Map<string, Candle> {
  const unique = new Map<string, MarketTrade>();
  for (const t of trades) {
    const k = `${t.exchange}|${t.symbol}|${t.tradeId}`;
    if (!unique.has(k)) unique.set(k, t);
  }
  const groups = new Map<string, { scope: string; symbol: string; tf: Timeframe; start: number; trades: MarketTrade[] }>();
  for (const t of unique.values()) {
    for (const tf of TFS) {
      const start = refBucketStart(tf, t.time);
      for (const scope of [t.exchange, "all"]) {
        const k = `${scope}|${t.symbol}|${tf}|${start}`;
        let g = groups.get(k);
        if (!g) groups.set(k, (g = { scope, symbol: t.symbol, tf, start, trades: [] }));
        g.trades.push(t);
      }
    }
  }
  const out = new Map<string, Candle>();
  for (const [k, g] of groups) {
    const sorted = [...g.trades].sort(
      (a, b) => a.time - b.time || cmp(a.exchange, b.exchange) || cmp(a.tradeId, b.tradeId),
    );
    const first = sorted[0] as MarketTrade;
    const last = sorted[sorted.length - 1] as MarketTrade;
    out.set(k, {
      exchange: g.scope,
      symbol: g.symbol,
      timeframe: g.tf,
      bucketStart: g.start,
      open: first.price,
      close: last.price,
      high: Math.max(...sorted.map((t) => t.price)),
      low: Math.min(...sorted.map((t) => t.price)),
      volume: sorted.reduce((s, t) => s + t.size, 0),
      quoteVolume: sorted.reduce((s, t) => s + t.price * t.size, 0),
      trades: sorted.length,
      openTime: first.time,
      closeTime: last.time,
    });
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export { rng };

export interface TradeGenOptions {
  seed: number;
  count: number;
  exchanges?: string[];
  symbols?: string[];
  /** Trades fall in [start, start + spanMs). */
  start: number;
  spanMs: number;
  idPrefix?: string;
}

export function genTrades(o: TradeGenOptions): MarketTrade[] {
  const r = rng(o.seed);
  const exchanges = o.exchanges ?? ["binance", "kucoin", "bitmex"];
  const symbols = o.symbols ?? ["BTCUSDT", "ETHUSDT"];
  const out: MarketTrade[] = [];
  for (let i = 0; i < o.count; i++) {
    const exchange = exchanges[Math.floor(r() * exchanges.length)] as string;
    const symbol = symbols[Math.floor(r() * symbols.length)] as string;
    // Coarse times so that equal timestamps (tie-breaks) happen.
    const time = o.start + Math.floor(r() * (o.spanMs / 250)) * 250;
    out.push({
      exchange,
      symbol,
      tradeId: `${o.idPrefix ?? "t"}${o.seed}-${i}`,
      price: Math.round((100 + r() * 10) * 100) / 100,
      size: Math.round(r() * 1000) / 1000,
      side: r() < 0.5 ? "buy" : "sell",
      time,
    });
  }
  return out;
}

/** Relative closeness for sums whose order of addition differs. */
export function close(a: number, b: number, rel = 1e-9): boolean {
  return a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

export function candleDiff(actual: AnyCandle, expected: Candle): string | undefined {
  for (const f of ["open", "high", "low", "close", "trades", "openTime", "closeTime", "bucketStart"] as const) {
    if (actual[f] !== expected[f]) return `${f}: ${actual[f]} ≠ ${expected[f]}`;
  }
  for (const f of ["volume", "quoteVolume"] as const) {
    if (!close(actual[f], expected[f])) return `${f}: ${actual[f]} ≠ ${expected[f]}`;
  }
  if (actual.exchange !== expected.exchange || actual.symbol !== expected.symbol || actual.timeframe !== expected.timeframe) {
    return "identity differs";
  }
  return undefined;
}
