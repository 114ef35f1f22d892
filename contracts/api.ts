// JSON shapes of the API answers and MQTT payloads, as the API and the consumers
// write them and the dashboard reads them (lib/api/, lib/market/, lib/news/).
import type { SentimentLabel } from "./sentiment.ts";
import type { SocialActivityBucket, SocialSource } from "./social.ts";
import type { Timeframe } from "./timeframes.ts";

/** One row of GET /markets. */
export interface MarketRow {
  symbol: string;
  last: number;
  open24h: number;
  /** (last − open24h) / open24h. */
  change24h: number;
  high24h: number;
  low24h: number;
  volume24h: number;
  quoteVolume24h: number;
  trades24h: number;
  bid?: number;
  ask?: number;
  /** Hourly closes, oldest first (at most 24). */
  sparkline: number[];
  /** Smallest price step of the symbol (finest among the exchanges listing it), when known: prices are shown with its decimals. */
  tickSize?: number;
  updatedAt: string;
}
export type Market = MarketRow;
export interface MarketsAnswer {
  generatedAt: string;
  markets: Market[];
}

export interface ApiCandle {
  bucketStart: number;
  time?: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  quoteVolume?: number;
  trades?: number;
  /** Time of the candle's last trade (ms). */
  closeTime?: number;
}
export interface CandlesAnswer {
  from: string;
  to: string;
  symbol: string;
  timeframe: Timeframe;
  candles: ApiCandle[];
}

export interface Article {
  id: string;
  url: string;
  title: string;
  source: string;
  author?: string;
  publishedAt: string;
  summary?: string;
  keywords: string[];
  coins: string[];
  tags: string[];
  sentiment?: { label: SentimentLabel; score: number; scores?: Partial<Record<SentimentLabel, number>> };
}
export interface NewsAnswer {
  total: number;
  articles: Article[];
}

export interface SentimentBucket {
  start: string;
  count: number;
  positive: number;
  negative: number;
  neutral: number;
  meanScore: number;
}
export interface SentimentAnswer {
  tag: string;
  timeframe: Timeframe;
  from: string;
  to: string;
  buckets: SentimentBucket[];
}

/** `cryptoviz/price-feed/<COIN>/notify/data`: the candles and quotes one consumer batch changed. */
export interface PriceFeedData {
  coin: string;
  at: string;
  candles: Array<ApiCandle & { exchange: string; symbol: string; timeframe: string }>;
  quotes: Array<{ exchange: string; symbol: string; bid: number; ask: number; last?: number; at: number }>;
  listings?: unknown[];
}

/**
 * `cryptoviz/price-feed/<COIN>/notify/refresh`: the coin's stored data changed; readers
 * refetch what they show. Published only when something changed (a redelivered or
 * repeated batch publishes none).
 */
export interface PriceFeedRefresh {
  coin: string;
  at: string;
  symbols: string[];
  /** Timeframes of the candles the batch touched. */
  timeframes: string[];
  quotes: number;
  listings: number;
  /**
   * Per timeframe, the buckets whose stored candles changed: first and last bucket
   * start (ms) and how many. A late trade (backfill, replay) names the closed buckets
   * it repaired here, e.g. a 1m, 15m, 1h and 1d bucket long before the newest one.
   */
  changed: Array<{ timeframe: Timeframe; from: number; to: number; buckets: number }>;
}

/** Window answers of the analytics questions carry their window and definition. */
export interface WindowInfo {
  from: string;
  to: string;
  definition: string;
}

/** One stored social post, as GET /social and `cryptoviz/social/<COIN>/notify/data` give it. */
export interface SocialPostItem {
  /** The stored document's id: SHA-256 of source and the source's id. */
  id: string;
  source: SocialSource;
  postId: string;
  authorId: string;
  authorHandle?: string;
  authorName?: string;
  authorFollowers?: number;
  text: string;
  langs: string[];
  hashtags: string[];
  likeCount?: number;
  repostCount?: number;
  repostOf?: string;
  createdAt: string;
  coins: string[];
  sentiment: { label: SentimentLabel; score: number; scores?: Partial<Record<SentimentLabel, number>> };
}

/** GET /social?coin=&from=&to=&limit=: the coin's posts, newest first. */
export interface SocialAnswer {
  coin: string;
  /** Posts matching coin and range (all of them, not only those returned). */
  total: number;
  posts: SocialPostItem[];
}

/** Pearson's r between a social series and the returns `lag` buckets later (lag < 0: returns lead). */
export interface LaggedCorrelation {
  lag: number;
  /** null when fewer than 3 bucket pairs have both values, or a series is constant. */
  r: number | null;
  /** Bucket pairs used. */
  n: number;
}

/** GET /social/activity?coin=&tf=&from=&to=[&symbol=]: activity per bucket beside the coin's price, and their lagged correlation. */
export interface SocialActivityAnswer {
  coin: string;
  /** The candles' symbol (default <COIN>USDT). */
  symbol: string;
  timeframe: Timeframe;
  from: string;
  to: string;
  definition: string;
  buckets: SocialActivityBucket[];
  correlation: {
    /** posts per bucket vs return. */
    activity: LaggedCorrelation[];
    /** mean sentiment per bucket vs return. */
    sentiment: LaggedCorrelation[];
  };
}

/** One coin's activity in one minute, as notified (the sketch left out). */
export interface SocialMinute {
  /** Minute start, epoch ms. */
  bucketStart: number;
  posts: number;
  authors: number;
  positive: number;
  negative: number;
  neutral: number;
  meanScore: number;
}

/** `cryptoviz/social/<COIN>/notify/refresh`: which minutes changed. */
export interface SocialRefresh {
  coin: string;
  at: string;
  minutes: number[];
}

/** `cryptoviz/social/<COIN>/notify/data`: the minutes one batch changed and its newest posts of the coin. */
export interface SocialData {
  coin: string;
  at: string;
  minutes: SocialMinute[];
  /** Newest first, at most SOCIAL_NOTIFY_POSTS. */
  posts: SocialPostItem[];
}
export const SOCIAL_NOTIFY_POSTS = 5;
/** One exchange and UTC hour of GET /completeness. */
export interface CompletenessRow {
  exchange: string;
  /** Start of the UTC hour. */
  hour: string;
  /** How the collector tracks gaps: by trade id, by time range (BitMEX: no id sequence), or null: no collector report for the hour (gap tracking off, or trades from the webhook). */
  mode: "ids" | "time" | null;
  /** Trades the exchange made in the hour, from its trade-id range; null where trades carry no sequence (BitMEX). */
  expected: number | null;
  /** Trades in the store (the exchange's 1h candle). */
  stored: number;
  /** Of those, fetched over REST to fill gaps. */
  backfilled: number;
  /** Ids found older than the exchange's REST history reaches: known and unrecoverable. */
  knownMissing: number;
  /** Ids still missing at the last collection window's end (retried each window). */
  pending: number;
  /** Gaps still open (for BitMEX, time ranges not yet reconciled). */
  pendingGaps: number;
  /** Every expected trade stored or known missing, and no gap open. */
  complete: boolean;
}
export interface CompletenessAnswer {
  symbol: string;
  from: string;
  to: string;
  definition: string;
  hours: CompletenessRow[];
}
