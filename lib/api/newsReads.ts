// GET /news and GET /sentiment: the news feed (tag, text, time range) and the
// sentiment aggregates of one tag over time.
import type { Timeframe } from "../../contracts/timeframes.ts";
import type { NewsDoc, SentimentAggregateDoc } from "../store/types.ts";
import { sentimentQuery } from "../store/sentimentQuery.ts";
import type { ApiStore } from "./marketReads.ts";
import { iso, type TimeWindow } from "./windows.ts";

export interface NewsFilter {
  /** A tag or coin (BTC, regulation…); matched as given and upper-cased. */
  tag?: string;
  /** Words searched in title, summary and content (all must match). */
  text?: string;
  from?: number;
  to?: number;
  limit: number;
}

const NEWS_FIELDS = ["url", "title", "source", "author", "publishedAt", "summary", "keywords", "coins", "tags", "sentiment"];

export function newsSearch(store: ApiStore, f: NewsFilter) {
  const filter: unknown[] = [];
  if (f.tag !== undefined) filter.push({ terms: { tags: [...new Set([f.tag, f.tag.toUpperCase()])] } });
  if (f.from !== undefined || f.to !== undefined) {
    filter.push({ range: { publishedAt: { ...(f.from !== undefined ? { gte: f.from } : {}), ...(f.to !== undefined ? { lt: f.to } : {}) } } });
  }
  const must = f.text === undefined ? [] : [{ multi_match: { query: f.text, fields: ["title^3", "summary^2", "content"], operator: "and" } }];
  return {
    index: store.names.pattern("news"),
    ignore_unavailable: true,
    body: {
      size: f.limit,
      track_total_hits: true,
      query: { bool: { filter, must } },
      // A feed reads newest first even when searching; the text narrows, it does not reorder.
      sort: [{ publishedAt: { order: "desc" } }, { canonicalUrl: { order: "asc" } }],
      _source: { includes: NEWS_FIELDS },
    },
  };
}

export async function readNews(store: ApiStore, f: NewsFilter) {
  const response = await store.client.search(newsSearch(store, f) as never);
  const hits = (response.body as { hits?: { total?: { value?: number } | number; hits?: { _id: string; _source: NewsDoc }[] } }).hits;
  const total = hits?.total;
  return {
    total: typeof total === "number" ? total : (total?.value ?? 0),
    articles: (hits?.hits ?? []).map(({ _id, _source: a }) => ({
      id: _id,
      url: a.url,
      title: a.title,
      source: a.source,
      ...(a.author !== undefined ? { author: a.author } : {}),
      publishedAt: a.publishedAt,
      ...(a.summary !== undefined ? { summary: a.summary } : {}),
      keywords: a.keywords ?? [],
      coins: a.coins ?? [],
      tags: a.tags ?? [],
      ...(a.sentiment !== undefined ? { sentiment: a.sentiment } : {}),
    })),
  };
}

export async function readSentiment(store: ApiStore, tag: string, timeframe: Timeframe, window: TimeWindow) {
  const response = await store.client.search({
    ...sentimentQuery(store.names, { tag, timeframe, from: window.from, to: window.to }),
    ignore_unavailable: true,
  } as never);
  const hits = (response.body as { hits?: { hits?: { _source: SentimentAggregateDoc }[] } }).hits?.hits ?? [];
  return {
    tag,
    timeframe,
    from: iso(window.from),
    to: iso(window.to),
    definition: "news published in each bucket [start, start + tf) and tagged with the tag; meanScore = mean of P(positive) − P(negative)",
    buckets: hits.map(({ _source: b }) => ({
      start: iso(b.bucketStart),
      count: b.count,
      positive: b.positive,
      negative: b.negative,
      neutral: b.neutral,
      meanScore: b.meanScore,
    })),
  };
}
