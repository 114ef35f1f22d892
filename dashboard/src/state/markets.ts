// The overview's state: one row per symbol, seeded from GET /markets and moved by
// `price-feed/<COIN>/notify/data` messages between fetches. Pure functions: state in, state out.
import type { Market, MarketsAnswer, PriceFeedData } from "../../../contracts/api.ts";
import { priceDecimals } from "../format.ts";

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
  /** When that move arrived (epoch ms): the highlight fades from then on. */
  tickAt?: number;
  /** Time of the trade behind `last` when a live candle set it (its closeTime, else its bucket start). */
  lastAt?: number;
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
      if (prev.lastAt !== undefined) row.lastAt = prev.lastAt;
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
  const latest = new Map<string, { at: number; close: number; high: number; low: number }>();
  for (const c of data.candles ?? []) {
    if (c.exchange !== "all" || c.timeframe !== "1m") continue;
    const at = c.closeTime ?? c.bucketStart;
    const prev = latest.get(c.symbol);
    if (!prev || at >= prev.at) latest.set(c.symbol, { at, close: c.close, high: c.high, low: c.low });
  }
  for (const [symbol, c] of latest) {
    const prev = out.get(symbol);
    // A batch of late trades (a collector window, a backfill) updates older minutes: their
    // close is not the last price, which every view (coin header, sentiment line) reads from here.
    if (prev?.lastAt !== undefined && c.at < prev.lastAt) continue;
    const row: MarketRow = prev ? { ...prev, sparkline: [...prev.sparkline], quotes: { ...prev.quotes } } : emptyRow(symbol, c.close, receivedAt);
    if (prev && c.close !== prev.last) {
      row.tick = c.close > prev.last ? "up" : "down";
      row.tickAt = receivedAt;
    }
    row.last = c.close;
    row.lastAt = c.at;
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

/** The decimals of every price of this row (its tick size, else its magnitude). */
export function rowDecimals(row: Pick<MarketRow, "tickSize" | "last" | "open24h"> | undefined): number {
  return priceDecimals(row?.tickSize, Number.isFinite(row?.open24h) && row!.open24h > 0 ? row!.open24h : row?.last);
}

/**
 * What the 24 h sparkline draws: the 24 h open, then each hourly close (the last one
 * moved by live prices). Starting from the open, one hourly candle (a stack
 * started minutes ago) is already a line; an empty list means no trade in 24 h.
 */
export function sparklineOf(row: Pick<MarketRow, "open24h" | "sparkline">): number[] {
  const closes = row.sparkline.filter((v) => Number.isFinite(v));
  if (closes.length === 0) return [];
  return Number.isFinite(row.open24h) && row.open24h > 0 ? [row.open24h, ...closes] : closes;
}

/**
 * The one colour rule of a price: the sign of its 24 h change. The last price, the 24 h
 * change and the sparkline are coloured by it, so they never disagree; the direction
 * of the latest live move is shown apart, as a short flash behind the price (tickFlash).
 */
export function changeTone(change24h: number | undefined): "up" | "down" | "" {
  if (change24h === undefined || !Number.isFinite(change24h) || change24h === 0) return "";
  return change24h > 0 ? "up" : "down";
}

/** How long a live move's flash lasts (style.css animates it over the same time). */
export const TICK_FLASH_MS = 1_200;

/** The flash of the latest live move, if it is still running at `now`: its direction and how far in it is. */
export function tickFlash(row: Pick<MarketRow, "tick" | "tickAt">, now: number): { dir: "up" | "down"; elapsedMs: number } | undefined {
  if (row.tick === undefined || row.tickAt === undefined) return undefined;
  const elapsedMs = now - row.tickAt;
  return elapsedMs >= 0 && elapsedMs < TICK_FLASH_MS ? { dir: row.tick, elapsedMs } : undefined;
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
