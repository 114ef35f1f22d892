// The overview's state: one row per symbol, seeded from GET /markets and moved by
// `price-feed/<COIN>/notify/data` messages between fetches. Pure functions: state in, state out.
import type { Market, MarketsAnswer, PriceFeedData } from "../../../contracts/api.ts";

export interface ExchangeQuote {
  bid: number;
  ask: number;
  at: number;
}

export interface MarketRow extends Market {
  /** When this row last changed, epoch ms (API updatedAt or a live message's arrival). */
  updatedAtMs: number;
  /** Latest live quote per exchange, for the best bid/ask across exchanges. */
  quotes: Record<string, ExchangeQuote>;
  /** Direction of the last live price move, for a brief highlight. */
  tick?: "up" | "down";
}

export type MarketState = ReadonlyMap<string, MarketRow>;

/** Quotes older than this (relative to the newest of the symbol) no longer count for best bid/ask. */
export const QUOTE_MAX_SKEW_MS = 60_000;

function parseTime(iso: string, fallback: number): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : fallback;
}

/**
 * Replaces rows with the API's, except that a live price newer than the API's
 * `updatedAt` is kept (the answer may have been computed before the message arrived).
 */
export function mergeMarketsAnswer(state: MarketState, answer: MarketsAnswer, receivedAt: number): Map<string, MarketRow> {
  const out = new Map<string, MarketRow>();
  for (const m of answer.markets) {
    const prev = state.get(m.symbol);
    const apiAt = parseTime(m.updatedAt, receivedAt);
    const row: MarketRow = { ...m, sparkline: [...m.sparkline], updatedAtMs: apiAt, quotes: prev?.quotes ?? {} };
    if (prev && prev.updatedAtMs > apiAt) {
      row.last = prev.last;
      row.updatedAtMs = prev.updatedAtMs;
      row.change24h = row.open24h > 0 ? row.last / row.open24h - 1 : row.change24h;
      if (row.sparkline.length > 0) row.sparkline[row.sparkline.length - 1] = row.last;
    }
    applyBest(row);
    out.set(m.symbol, row);
  }
  // Symbols only seen live so far stay listed.
  for (const [symbol, row] of state) if (!out.has(symbol)) out.set(symbol, row);
  return out;
}

function emptyRow(symbol: string, price: number, at: number): MarketRow {
  return {
    symbol, last: price, open24h: NaN, change24h: NaN, high24h: price, low24h: price, volume24h: NaN, quoteVolume24h: NaN, trades24h: NaN,
    sparkline: [price], updatedAt: new Date(at).toISOString(), updatedAtMs: at, quotes: {},
  };
}

function applyBest(row: MarketRow): void {
  const quotes = Object.values(row.quotes);
  if (quotes.length === 0) return;
  const newest = Math.max(...quotes.map((q) => q.at));
  const recent = quotes.filter((q) => newest - q.at <= QUOTE_MAX_SKEW_MS);
  row.bid = Math.max(...recent.map((q) => q.bid));
  row.ask = Math.min(...recent.map((q) => q.ask));
}

/**
 * Merges one price-feed data message: the newest cross-exchange (`all`) 1m candle of
 * each symbol gives the last price; quotes give best bid/ask. Unknown symbols get a row.
 */
export function applyPriceFeed(state: MarketState, data: PriceFeedData, receivedAt: number): Map<string, MarketRow> {
  const out = new Map(state);
  const latest = new Map<string, { bucketStart: number; close: number; high: number; low: number }>();
  for (const c of data.candles ?? []) {
    if (c.exchange !== "all" || c.timeframe !== "1m") continue;
    const prev = latest.get(c.symbol);
    if (!prev || c.bucketStart >= prev.bucketStart) latest.set(c.symbol, c);
  }
  for (const [symbol, c] of latest) {
    const prev = out.get(symbol);
    const row: MarketRow = prev ? { ...prev, sparkline: [...prev.sparkline], quotes: { ...prev.quotes } } : emptyRow(symbol, c.close, receivedAt);
    if (prev) row.tick = c.close > prev.last ? "up" : c.close < prev.last ? "down" : prev.tick;
    row.last = c.close;
    row.high24h = Number.isFinite(row.high24h) ? Math.max(row.high24h, c.high) : c.high;
    row.low24h = Number.isFinite(row.low24h) ? Math.min(row.low24h, c.low) : c.low;
    row.change24h = row.open24h > 0 ? row.last / row.open24h - 1 : NaN;
    if (row.sparkline.length > 0) row.sparkline[row.sparkline.length - 1] = c.close;
    row.updatedAtMs = receivedAt;
    row.updatedAt = new Date(receivedAt).toISOString();
    out.set(symbol, row);
  }
  for (const q of data.quotes ?? []) {
    let row = out.get(q.symbol);
    if (!row) {
      const mid = (q.bid + q.ask) / 2;
      row = emptyRow(q.symbol, q.last ?? mid, receivedAt);
    } else if (row === state.get(q.symbol)) {
      row = { ...row, quotes: { ...row.quotes } };
    }
    const prevQuote = row.quotes[q.exchange];
    if (!prevQuote || q.at >= prevQuote.at) row.quotes[q.exchange] = { bid: q.bid, ask: q.ask, at: q.at };
    applyBest(row);
    row.updatedAtMs = Math.max(row.updatedAtMs, receivedAt);
    out.set(q.symbol, row);
  }
  return out;
}

export type SortKey = "symbol" | "last" | "change24h" | "volume24h" | "quoteVolume24h";
export interface SortOrder {
  key: SortKey;
  dir: "asc" | "desc";
}

/** Sorted rows; missing numbers (NaN) always last, ties by symbol. */
export function sortMarkets(rows: Iterable<MarketRow>, order: SortOrder): MarketRow[] {
  const sign = order.dir === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => {
    if (order.key === "symbol") return sign * a.symbol.localeCompare(b.symbol);
    const x = a[order.key];
    const y = b[order.key];
    const xn = Number.isFinite(x);
    const yn = Number.isFinite(y);
    if (xn !== yn) return xn ? -1 : 1;
    if (xn && x !== y) return sign * (x - y);
    return a.symbol.localeCompare(b.symbol);
  });
}

/** Clicking a column: same key flips direction; a new key starts descending (biggest first), symbol ascending. */
export function nextSort(current: SortOrder, key: SortKey): SortOrder {
  if (current.key === key) return { key, dir: current.dir === "asc" ? "desc" : "asc" };
  return { key, dir: key === "symbol" ? "asc" : "desc" };
}
