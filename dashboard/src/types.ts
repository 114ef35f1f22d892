// JSON shapes of the API answers and MQTT payloads the dashboard reads
// (lib/api/questions.ts, lib/market/consumeMarketMessages.ts, lib/news/consumeNewsMessages.ts).

import type { MarketRow } from "../../lib/api/overview.ts";

export const TIMEFRAMES = ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const MIN = 60_000;
export const TIMEFRAME_MS: Readonly<Record<Timeframe, number>> = {
  "1m": MIN, "5m": 5 * MIN, "15m": 15 * MIN, "30m": 30 * MIN, "1h": 60 * MIN, "4h": 240 * MIN, "1d": 1440 * MIN, "1w": 10080 * MIN,
};

/** One row of GET /markets (the API's own type: one definition for both sides). */
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

export type SentimentLabel = "positive" | "negative" | "neutral";
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

/** Window answers of the analytics questions carry their window and definition. */
export interface WindowInfo {
  from: string;
  to: string;
  definition: string;
}
