// JSON shapes of the API answers and MQTT payloads, as the API and the consumers
// write them and the dashboard reads them (lib/api/, lib/market/, lib/news/).
import type { SentimentLabel } from "./sentiment.ts";
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
