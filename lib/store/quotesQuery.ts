// Read side: latest quotes, for one symbol (every exchange), one exchange, or all.
import type { SearchRequest } from "./candlesQuery.ts";
import type { IndexNames } from "./IndexNames.ts";

export interface QuotesQueryInput {
  symbol?: string;
  exchange?: string;
  limit?: number;
}

export function quotesQuery(names: IndexNames, q: QuotesQueryInput = {}): SearchRequest {
  const filter: unknown[] = [];
  if (q.symbol !== undefined) filter.push({ term: { symbol: q.symbol } });
  if (q.exchange !== undefined) filter.push({ term: { exchange: q.exchange } });
  return {
    index: names.quotes(),
    body: {
      size: q.limit ?? 1000,
      track_total_hits: false,
      query: filter.length > 0 ? { bool: { filter } } : { match_all: {} },
      sort: [{ symbol: { order: "asc" } }, { exchange: { order: "asc" } }],
    },
  };
}
