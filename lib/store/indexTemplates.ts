// Composable index templates (`PUT _index_template/<name>`) for every index
// the store writes. Mappings are strict: an unknown field or a wrong type is a
// per-item `strict_dynamic_mapping_exception` / `mapper_parsing_exception`,
// i.e. a permanent failure of that record only.
import type { IndexKind } from "./IndexNames.ts";
import { IndexNames } from "./IndexNames.ts";

export interface IndexTemplate {
  name: string;
  body: {
    index_patterns: string[];
    priority: number;
    template: {
      settings: Record<string, unknown>;
      mappings: Record<string, unknown>;
    };
    _meta: Record<string, unknown>;
  };
}

/** Bumped whenever a mapping changes; recorded in each template's `_meta`. */
export const TEMPLATE_VERSION = 3;

const DATE = { type: "date", format: "strict_date_optional_time||epoch_millis" };
const KEYWORD = { type: "keyword" };
const DOUBLE = { type: "double" };
const LONG = { type: "long" };
const INTEGER = { type: "integer" };

const MAPPINGS: Record<IndexKind, Record<string, unknown>> = {
  trades: {
    exchange: KEYWORD,
    symbol: KEYWORD,
    base: KEYWORD,
    quote: KEYWORD,
    tradeId: KEYWORD,
    side: KEYWORD,
    time: DATE,
    receivedAt: DATE,
    price: DOUBLE,
    size: DOUBLE,
    quoteVolume: DOUBLE,
  },
  candles: {
    exchange: KEYWORD,
    symbol: KEYWORD,
    timeframe: KEYWORD,
    bucketStart: DATE,
    open: DOUBLE,
    high: DOUBLE,
    low: DOUBLE,
    close: DOUBLE,
    volume: DOUBLE,
    quoteVolume: DOUBLE,
    trades: LONG,
    openTime: DATE,
    closeTime: DATE,
    updatedAt: DATE,
    origin: KEYWORD,
  },
  quotes: {
    exchange: KEYWORD,
    symbol: KEYWORD,
    bid: DOUBLE,
    ask: DOUBLE,
    bidSize: DOUBLE,
    askSize: DOUBLE,
    last: DOUBLE,
    at: DATE,
    receivedAt: DATE,
  },
  listings: {
    source: KEYWORD,
    symbol: KEYWORD,
    name: KEYWORD,
    currency: KEYWORD,
    price: DOUBLE,
    change24hPct: DOUBLE,
    marketCap: DOUBLE,
    volume24h: DOUBLE,
    rank: LONG,
    observedAt: DATE,
  },
  news: {
    url: KEYWORD,
    canonicalUrl: KEYWORD,
    title: { type: "text", fields: { raw: { type: "keyword", ignore_above: 512 } } },
    source: KEYWORD,
    author: KEYWORD,
    publishedAt: DATE,
    content: { type: "text" },
    summary: { type: "text" },
    keywords: KEYWORD,
    coins: KEYWORD,
    tags: KEYWORD,
    sentiment: {
      properties: {
        label: KEYWORD,
        score: DOUBLE,
        scores: { properties: { positive: DOUBLE, negative: DOUBLE, neutral: DOUBLE } },
      },
    },
    ingestedAt: DATE,
  },
  completeness: {
    exchange: KEYWORD,
    symbol: KEYWORD,
    base: KEYWORD,
    mode: KEYWORD,
    hour: DATE,
    windowId: KEYWORD,
    windowEnd: DATE,
    live: LONG,
    backfilled: LONG,
    lost: LONG,
    pendingTrades: LONG,
    pendingGaps: LONG,
    // Decimal strings: Kucoin sequences exceed a double's exact integers.
    firstId: KEYWORD,
    lastId: KEYWORD,
  },
  sentiment: {
    tag: KEYWORD,
    timeframe: KEYWORD,
    bucketStart: DATE,
    count: LONG,
    positive: LONG,
    negative: LONG,
    neutral: LONG,
    scoreSum: DOUBLE,
    meanScore: DOUBLE,
    updatedAt: DATE,
  },
  "social-posts": {
    source: KEYWORD,
    postId: KEYWORD,
    authorId: KEYWORD,
    authorHandle: KEYWORD,
    authorName: KEYWORD,
    authorFollowers: LONG,
    // Where the author lands in a HyperLogLog sketch (lib/sketch): a minute's
    // distinct authors are then an aggregation over these two fields.
    authorHll: { properties: { register: INTEGER, rank: INTEGER } },
    text: { type: "text" },
    langs: KEYWORD,
    hashtags: KEYWORD,
    likeCount: LONG,
    repostCount: LONG,
    repostOf: KEYWORD,
    createdAt: DATE,
    receivedAt: DATE,
    coins: KEYWORD,
    sentiment: {
      properties: {
        label: KEYWORD,
        score: DOUBLE,
        scores: { properties: { positive: DOUBLE, negative: DOUBLE, neutral: DOUBLE } },
      },
    },
    ingestedAt: DATE,
  },
  "social-activity": {
    coin: KEYWORD,
    bucketStart: DATE,
    posts: LONG,
    authors: LONG,
    // The minute's sketch, read back only (merged across minutes by the API).
    authorsHll: { type: "keyword", index: false, doc_values: false },
    positive: LONG,
    negative: LONG,
    neutral: LONG,
    scoreSum: DOUBLE,
    meanScore: DOUBLE,
    updatedAt: DATE,
  },
};

/** Trades are the write-heavy index: a longer refresh interval; the writer refreshes what it needs. */
const SETTINGS: Record<IndexKind, Record<string, unknown>> = {
  trades: { number_of_shards: 1, refresh_interval: "5s" },
  candles: { number_of_shards: 1 },
  quotes: { number_of_shards: 1 },
  listings: { number_of_shards: 1 },
  news: { number_of_shards: 1 },
  sentiment: { number_of_shards: 1 },
  "social-posts": { number_of_shards: 1 },
  "social-activity": { number_of_shards: 1 },
  completeness: { number_of_shards: 1 },
};

const KINDS: readonly IndexKind[] = ["trades", "candles", "quotes", "listings", "news", "sentiment", "social-posts", "social-activity", "completeness"];

export interface TemplateOptions {
  /** Primary shards of each daily trades index (default 1). */
  tradeShards?: number;
}

export function indexTemplates(prefix: string, options: TemplateOptions = {}): IndexTemplate[] {
  const names = new IndexNames(prefix);
  const settings = { ...SETTINGS, trades: { ...SETTINGS.trades, number_of_shards: options.tradeShards ?? 1 } };
  return KINDS.map((kind) => ({
    name: `${prefix}${kind}`,
    body: {
      index_patterns: [names.pattern(kind)],
      priority: 100,
      template: {
        settings: settings[kind],
        mappings: { dynamic: "strict", properties: MAPPINGS[kind] },
      },
      _meta: { owner: "cryptoviz", kind, version: TEMPLATE_VERSION },
    },
  }));
}

/**
 * Fields added to a kind's mapping after its first release, per kind. Existing
 * indices keep the mapping they were created with, so `ensureTemplates` adds
 * these to them (adding a field is always allowed).
 */
export const ADDED_FIELDS: Partial<Record<IndexKind, Record<string, unknown>>> = {
  candles: { origin: KEYWORD },
};
