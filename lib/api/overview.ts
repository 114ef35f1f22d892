// GET /markets: the dashboard's market overview, one row per symbol, from the
// `all`-exchange hourly candles of the last 24 hours and the latest quotes.
import type { MarketRow } from "../../contracts/api.ts";
import { tickSizeOf } from "../market/exchanges/tickSizes.ts";
import type { Candle, QuoteDoc } from "../store/types.ts";
import { readCandles, readQuotes, type ApiStore } from "./marketReads.ts";
import { HOUR_MS, iso, startOfHour } from "./windows.ts";

export const MARKETS_DEFINITION =
  "24h figures from the 24 hourly candles [H - 23h, H + 1h), H = start of the current UTC hour (the current hour is partial); bid = highest bid, ask = lowest ask across exchanges";


/** Pure: candles (sorted by symbol then time) and quotes → overview rows, by symbol. */
export function marketRows(candles: readonly Candle[], quotes: readonly QuoteDoc[]): MarketRow[] {
  const bySymbol = new Map<string, { candles: Candle[]; quotes: QuoteDoc[] }>();
  const entry = (s: string) => {
    let e = bySymbol.get(s);
    if (!e) bySymbol.set(s, (e = { candles: [], quotes: [] }));
    return e;
  };
  for (const c of candles) entry(c.symbol).candles.push(c);
  for (const q of quotes) entry(q.symbol).quotes.push(q);

  const rows: MarketRow[] = [];
  for (const [symbol, { candles: cs, quotes: qs }] of bySymbol) {
    const bid = qs.length > 0 ? Math.max(...qs.map((q) => q.bid)) : undefined;
    const ask = qs.length > 0 ? Math.min(...qs.map((q) => q.ask)) : undefined;
    const latestQuote = qs.reduce<QuoteDoc | undefined>((best, q) => (!best || q.at > best.at ? q : best), undefined);
    const first = cs[0];
    const lastCandle = cs[cs.length - 1];
    // Without trades in 24 h the quote's last (or mid) price is the best we know.
    const quotePrice = latestQuote ? (latestQuote.last ?? (latestQuote.bid + latestQuote.ask) / 2) : undefined;
    const last = lastCandle?.close ?? quotePrice;
    if (last === undefined) continue;
    const open24h = first?.open ?? last;
    const candleTime = lastCandle ? (lastCandle.closeTime ?? lastCandle.bucketStart) : 0;
    const tickSize = tickSizeOf(symbol);
    rows.push({
      symbol,
      last,
      open24h,
      change24h: open24h === 0 ? 0 : (last - open24h) / open24h,
      high24h: cs.length > 0 ? Math.max(...cs.map((c) => c.high)) : last,
      low24h: cs.length > 0 ? Math.min(...cs.map((c) => c.low)) : last,
      volume24h: cs.reduce((s, c) => s + c.volume, 0),
      quoteVolume24h: cs.reduce((s, c) => s + c.quoteVolume, 0),
      trades24h: cs.reduce((s, c) => s + c.trades, 0),
      ...(bid !== undefined ? { bid } : {}),
      ...(ask !== undefined ? { ask } : {}),
      sparkline: cs.map((c) => c.close),
      ...(tickSize !== undefined ? { tickSize } : {}),
      updatedAt: iso(Math.max(candleTime, latestQuote?.at ?? 0)),
    });
  }
  return rows.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

export async function marketsOverview(store: ApiStore, now: number) {
  const h = startOfHour(now);
  const window = { from: h - 23 * HOUR_MS, to: h + HOUR_MS };
  const [candles, quotes] = await Promise.all([readCandles(store, "1h", window), readQuotes(store)]);
  return { generatedAt: iso(now), from: iso(window.from), to: iso(window.to), definition: MARKETS_DEFINITION, markets: marketRows(candles, quotes) };
}
