// Reads behind the API: `all`-exchange candles of one timeframe over a window
// (every symbol, or one), the latest quotes, and whether a symbol is known.
import { ALL_EXCHANGES } from "../store/documentIds.ts";
import type { StoreContext } from "../store/StoreContext.ts";
import type { Timeframe } from "../../contracts/timeframes.ts";
import type { Candle, QuoteDoc } from "../store/types.ts";
import type { TimeWindow } from "./windows.ts";

export type ApiStore = Pick<StoreContext, "client" | "names">;

const PAGE = 5000;

interface Hit<T> {
  _source: T;
  sort?: unknown[];
}

/** Every hit of a query, paged with search_after on `sort`. */
export async function searchAll<T>(store: ApiStore, index: string, query: unknown, sort: unknown[], includes: string[]): Promise<T[]> {
  const out: T[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const response = await store.client.search({
      index,
      ignore_unavailable: true,
      body: {
        size: PAGE,
        track_total_hits: false,
        query,
        sort,
        _source: { includes },
        ...(after ? { search_after: after } : {}),
      },
    } as never);
    const hits = ((response.body as { hits?: { hits?: Hit<T>[] } }).hits?.hits ?? []);
    for (const h of hits) out.push(h._source);
    if (hits.length < PAGE) return out;
    after = hits[hits.length - 1]?.sort;
    if (!after) return out;
  }
}

const CANDLE_FIELDS = ["exchange", "symbol", "timeframe", "bucketStart", "open", "high", "low", "close", "volume", "quoteVolume", "trades", "openTime", "closeTime"];
const QUOTE_FIELDS = ["exchange", "symbol", "bid", "ask", "bidSize", "askSize", "last", "at"];

/** Candles across exchanges (`all`) with bucketStart in [from, to), by symbol then time. */
export function readCandles(store: ApiStore, timeframe: Timeframe, window: TimeWindow, symbol?: string): Promise<Candle[]> {
  const filter: unknown[] = [
    { term: { exchange: ALL_EXCHANGES } },
    { term: { timeframe } },
    { range: { bucketStart: { gte: window.from, lt: window.to } } },
  ];
  if (symbol !== undefined) filter.push({ term: { symbol } });
  return searchAll<Candle>(
    store,
    store.names.pattern("candles", timeframe),
    { bool: { filter } },
    [{ symbol: { order: "asc" } }, { bucketStart: { order: "asc" } }],
    CANDLE_FIELDS,
  );
}

/** The latest quote of every exchange for a symbol (or every symbol), by symbol then exchange. */
export function readQuotes(store: ApiStore, symbol?: string): Promise<QuoteDoc[]> {
  return searchAll<QuoteDoc>(
    store,
    store.names.quotes(),
    symbol === undefined ? { match_all: {} } : { bool: { filter: [{ term: { symbol } }] } },
    [{ symbol: { order: "asc" } }, { exchange: { order: "asc" } }],
    QUOTE_FIELDS,
  );
}

/** Whether the store has anything for the symbol: a daily candle (any time) or a quote. */
export async function symbolKnown(store: ApiStore, symbol: string): Promise<boolean> {
  const response = await store.client.search({
    index: `${store.names.pattern("candles", "1d")},${store.names.quotes()}`,
    ignore_unavailable: true,
    body: { size: 1, track_total_hits: false, _source: false, query: { bool: { filter: [{ term: { symbol } }] } } },
  } as never);
  return ((response.body as { hits?: { hits?: unknown[] } }).hits?.hits ?? []).length > 0;
}
