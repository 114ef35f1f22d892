// Read side: candles of one symbol and timeframe over a time range.
import { ALL_EXCHANGES } from "./documentIds.ts";
import type { IndexNames } from "./IndexNames.ts";
import type { Timeframe } from "../../contracts/timeframes.ts";


export interface CandlesQueryInput {
  symbol: string;
  timeframe: Timeframe;
  /** An exchange, or `all` (default) for the aggregate across exchanges. */
  exchange?: string;
  /** Bucket starts in [from, to), epoch ms. */
  from: number;
  to: number;
  /** At most this many candles, oldest first. */
  limit?: number;
}

export interface SearchRequest {
  index: string;
  body: Record<string, unknown>;
}

export function candlesQuery(names: IndexNames, q: CandlesQueryInput): SearchRequest {
  return {
    index: names.pattern("candles", q.timeframe),
    body: {
      size: q.limit ?? 10_000,
      track_total_hits: false,
      query: {
        bool: {
          filter: [
            { term: { symbol: q.symbol } },
            { term: { exchange: q.exchange ?? ALL_EXCHANGES } },
            { term: { timeframe: q.timeframe } },
            { range: { bucketStart: { gte: q.from, lt: q.to } } },
          ],
        },
      },
      sort: [{ bucketStart: { order: "asc" } }],
    },
  };
}

/** The documents of a search response, in hit order. */
export function hitSources<T>(response: { hits?: { hits?: { _source?: unknown }[] } }): T[] {
  return (response.hits?.hits ?? []).map((h) => h._source as T);
}

