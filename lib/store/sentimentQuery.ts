// Read side: sentiment aggregates of one tag and timeframe over a time range.
import type { SearchRequest } from "./candlesQuery.ts";
import type { IndexNames } from "./IndexNames.ts";
import type { Timeframe } from "../../contracts/timeframes.ts";

export interface SentimentQueryInput {
  tag: string;
  timeframe: Timeframe;
  from: number;
  to: number;
  limit?: number;
}

export function sentimentQuery(names: IndexNames, q: SentimentQueryInput): SearchRequest {
  return {
    index: names.pattern("sentiment"),
    body: {
      size: q.limit ?? 10_000,
      track_total_hits: false,
      query: {
        bool: {
          filter: [
            { term: { tag: q.tag } },
            { term: { timeframe: q.timeframe } },
            { range: { bucketStart: { gte: q.from, lt: q.to } } },
          ],
        },
      },
      sort: [{ bucketStart: { order: "asc" } }],
    },
  };
}
