// One function per API question: store + `now` in, the JSON answer out.
// Hour questions read the `all`-exchange 1h candles, minute questions the 1m
// candles; every answer carries the window it used (`from`, `to`, ISO, UTC,
// `to` exclusive) and its definition.
import type { Timeframe } from "../../contracts/timeframes.ts";
import type { Candle, QuoteDoc } from "../store/types.ts";
import { readCandles, readQuotes, symbolKnown, type ApiStore } from "./marketReads.ts";
import { NotFoundError } from "./NotFoundError.ts";
import {
  bucketStartsIn,
  HOUR_MS,
  hoursBeforeCurrentHour,
  hoursBeforePreviousHour,
  iso,
  MINUTE_MS,
  minutesBeforeCurrentMinute,
  previousHour,
  windowJson,
  type TimeWindow,
} from "./windows.ts";

export const DEFINITIONS = {
  last6Hours: "the 6 complete UTC hours before the previous hour: [H - 7h, H - 1h), H = start of the current hour",
  last12Hours: "the 12 complete UTC hours before the current hour: [H - 12h, H), H = start of the current hour",
  lastHour: "the previous (last complete) UTC hour: [H - 1h, H), H = start of the current hour",
} as const;

interface Totals {
  trades: number;
  volume: number;
  quoteVolume: number;
}

const zero = (): Totals => ({ trades: 0, volume: 0, quoteVolume: 0 });

function add(t: Totals, c: Candle): void {
  t.trades += c.trades;
  t.volume += c.volume;
  t.quoteVolume += c.quoteVolume;
}

function bySymbol(candles: readonly Candle[]): Map<string, Candle[]> {
  const out = new Map<string, Candle[]>();
  for (const c of candles) {
    let list = out.get(c.symbol);
    if (!list) out.set(c.symbol, (list = []));
    list.push(c);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function windowInfo(window: TimeWindow, definition: string) {
  return { ...windowJson(window), definition };
}

async function assertKnown(store: ApiStore, symbol: string): Promise<void> {
  if (!(await symbolKnown(store, symbol))) throw new NotFoundError("symbol", `no data for symbol ${symbol}`);
}

/** GET /transactions/last_6_hours: trades per coin per hour. */
export async function transactionsLast6Hours(store: ApiStore, now: number) {
  const window = hoursBeforePreviousHour(now, 6);
  const hours = bucketStartsIn(window, HOUR_MS);
  const coins = [...bySymbol(await readCandles(store, "1h", window))].map(([symbol, candles]) => {
    const byHour = new Map(candles.map((c) => [c.bucketStart, c.trades]));
    return {
      symbol,
      trades: candles.reduce((n, c) => n + c.trades, 0),
      hourly: hours.map((h) => ({ hour: iso(h), trades: byHour.get(h) ?? 0 })),
    };
  });
  return { ...windowInfo(window, DEFINITIONS.last6Hours), timeframe: "1h", hours: hours.map(iso), coins };
}

/** GET /volume/last_6_hours: total volume per coin. */
export async function volumeLast6Hours(store: ApiStore, now: number) {
  const window = hoursBeforePreviousHour(now, 6);
  const coins = [...bySymbol(await readCandles(store, "1h", window))].map(([symbol, candles]) => {
    const t = zero();
    for (const c of candles) add(t, c);
    return { symbol, volume: t.volume, quoteVolume: t.quoteVolume, trades: t.trades };
  });
  return { ...windowInfo(window, DEFINITIONS.last6Hours), coins };
}

/** GET /aggregated_stats/last_12_hours: trades and volume per hour (all coins, and per coin). */
export async function aggregatedStatsLast12Hours(store: ApiStore, now: number) {
  const window = hoursBeforeCurrentHour(now, 12);
  const candles = await readCandles(store, "1h", window);
  const hours = bucketStartsIn(window, HOUR_MS).map((h) => {
    const inHour = candles.filter((c) => c.bucketStart === h);
    const t = zero();
    for (const c of inHour) add(t, c);
    return {
      hour: iso(h),
      trades: t.trades,
      quoteVolume: t.quoteVolume,
      coins: inHour.map((c) => ({ symbol: c.symbol, trades: c.trades, volume: c.volume, quoteVolume: c.quoteVolume })),
    };
  });
  return { ...windowInfo(window, DEFINITIONS.last12Hours), hours };
}

/** GET /trades/last_n_minutes: trades of one coin, in total and per minute. 404 for a symbol with no data at all. */
export async function tradesLastNMinutes(store: ApiStore, now: number, symbol: string, minutes: number) {
  const window = minutesBeforeCurrentMinute(now, minutes);
  const candles = await readCandles(store, "1m", window, symbol);
  if (candles.length === 0) await assertKnown(store, symbol);
  const t = zero();
  for (const c of candles) add(t, c);
  const byMinute = new Map(candles.map((c) => [c.bucketStart, c]));
  return {
    ...windowInfo(window, `the ${minutes} complete UTC minutes before the current minute: [M - ${minutes} min, M), M = start of the current minute`),
    symbol,
    minutes,
    trades: t.trades,
    volume: t.volume,
    quoteVolume: t.quoteVolume,
    minutesWithTrades: candles.length,
    // Every minute of the window, 0 when the coin did not trade (as /transactions lists every hour).
    minutely: bucketStartsIn(window, MINUTE_MS).map((m) => {
      const c = byMinute.get(m);
      return { minute: iso(m), trades: c?.trades ?? 0, volume: c?.volume ?? 0, quoteVolume: c?.quoteVolume ?? 0 };
    }),
  };
}

/** GET /top_cryptos_last_hour: top N coins by quote volume in the previous hour (ties: symbol). */
export async function topCryptosLastHour(store: ApiStore, now: number, topN: number) {
  const window = previousHour(now);
  const candles = await readCandles(store, "1h", window);
  const ranked = [...candles]
    .sort((a, b) => b.quoteVolume - a.quoteVolume || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .slice(0, topN)
    .map((c, i) => ({ rank: i + 1, symbol: c.symbol, quoteVolume: c.quoteVolume, volume: c.volume, trades: c.trades }));
  return { ...windowInfo(window, DEFINITIONS.lastHour), rankedBy: "quoteVolume", topN, coins: ranked };
}

function quoteJson(q: QuoteDoc, now: number) {
  return {
    exchange: q.exchange,
    bid: q.bid,
    ask: q.ask,
    ...(q.bidSize !== undefined ? { bidSize: q.bidSize } : {}),
    ...(q.askSize !== undefined ? { askSize: q.askSize } : {}),
    ...(q.last !== undefined ? { last: q.last } : {}),
    at: iso(q.at),
    ageMs: now - q.at,
  };
}

const byExchange = (a: QuoteDoc, b: QuoteDoc) => (a.exchange < b.exchange ? -1 : a.exchange > b.exchange ? 1 : 0);

/**
 * GET /price/current: buy = the lowest ask, sell = the highest bid, across the
 * latest quote of every exchange (ties: the exchange first by name).
 */
export async function currentPrice(store: ApiStore, now: number, symbol: string) {
  const quotes = (await readQuotes(store, symbol)).sort(byExchange);
  if (quotes.length === 0) throw new NotFoundError("symbol", `no quotes for symbol ${symbol}`);
  let buy = quotes[0]!;
  let sell = quotes[0]!;
  for (const q of quotes) {
    if (q.ask < buy.ask) buy = q;
    if (q.bid > sell.bid) sell = q;
  }
  return {
    symbol,
    buy: { price: buy.ask, exchange: buy.exchange, at: iso(buy.at) },
    sell: { price: sell.bid, exchange: sell.exchange, at: iso(sell.at) },
    asOf: iso(Math.max(...quotes.map((q) => q.at))),
    exchanges: quotes.map((q) => quoteJson(q, now)),
  };
}

/** GET /quotes: the latest quote of every exchange, for one symbol or all. */
export async function latestQuotes(store: ApiStore, now: number, symbol?: string) {
  const quotes = await readQuotes(store, symbol);
  if (symbol !== undefined && quotes.length === 0) throw new NotFoundError("symbol", `no quotes for symbol ${symbol}`);
  return { ...(symbol !== undefined ? { symbol } : {}), quotes: quotes.map((q) => ({ symbol: q.symbol, ...quoteJson(q, now) })) };
}

/** GET /candles: `all`-exchange candles with bucketStart in [from, to), oldest first. */
export async function candles(store: ApiStore, symbol: string, timeframe: Timeframe, window: TimeWindow) {
  const list = await readCandles(store, timeframe, window, symbol);
  if (list.length === 0) await assertKnown(store, symbol);
  return {
    ...windowJson(window),
    definition: "candles whose bucketStart is in [from, to), across exchanges (exchange = all)",
    symbol,
    timeframe,
    exchange: "all",
    candles: list.map((c) => ({
      bucketStart: c.bucketStart,
      time: iso(c.bucketStart),
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      volume: c.volume,
      quoteVolume: c.quoteVolume,
      trades: c.trades,
      openTime: c.openTime,
      closeTime: c.closeTime,
    })),
  };
}
