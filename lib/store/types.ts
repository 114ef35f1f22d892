import type { SentimentLabel } from "../../contracts/sentiment.ts";
// Shapes of what the store writes and returns.
import type { CandleTimeframe, Timeframe } from "../../contracts/timeframes.ts";

/** An input item tagged with the caller's record key (e.g. an SQS messageId). */
export interface Keyed<T> {
  key: string;
  item: T;
}

/** A normalised trade (one fill on one exchange). Times are epoch ms, UTC. */
export interface Trade {
  exchange: string;
  /** Normalised symbol, e.g. `BTCUSDT`. */
  symbol: string;
  base?: string;
  quote?: string;
  /** The exchange's own trade id (Binance `t`, Kucoin `tradeId`, Bitmex `trdMatchID`). */
  tradeId: string;
  price: number;
  size: number;
  side?: "buy" | "sell";
  /** Exchange timestamp. */
  time: number;
  receivedAt?: number;
}

/** A trade as stored: adds the quote volume (price × size) so it can be summed. */
export interface TradeDoc extends Trade {
  quoteVolume: number;
}

/** OHLCV for one scope (exchange or `all`), symbol, timeframe and bucket. */
export interface Candle {
  /** Exchange name, or `all` for the aggregate across exchanges. */
  exchange: string;
  symbol: string;
  timeframe: Timeframe;
  /** Bucket start, epoch ms UTC. */
  bucketStart: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Sum of base-asset sizes. */
  volume: number;
  /** Sum of price × size. */
  quoteVolume: number;
  /** Number of distinct trades. */
  trades: number;
  /** Time of the first and last trade in the bucket. */
  openTime: number;
  closeTime: number;
}

/** A candle of any level, including the internal per-second partials. */
export interface AnyCandle extends Omit<Candle, "timeframe"> {
  timeframe: CandleTimeframe;
}

export interface CandleDoc extends Candle {
  updatedAt: number;
}

/** Best bid/ask (and last price) on one exchange for one symbol at `at`. */
export interface Quote {
  exchange: string;
  symbol: string;
  bid: number;
  ask: number;
  bidSize?: number;
  askSize?: number;
  last?: number;
  /** Exchange timestamp, epoch ms; also the document's external version. */
  at: number;
  receivedAt?: number;
}

/** The latest row of a price listing site (CoinMarketCap, CryptoCompare) for one symbol. */
export interface Listing {
  source: string;
  symbol: string;
  name: string;
  currency: string;
  price: number;
  change24hPct?: number;
  marketCap?: number;
  volume24h?: number;
  rank?: number;
  /** When the page was read, epoch ms; also the document's external version. */
  observedAt: number;
}



export interface NewsSentiment {
  label: SentimentLabel;
  /** Signed score in [-1, 1] (e.g. P(positive) − P(negative)). */
  score: number;
  /** Per-label probabilities from the model. */
  scores?: Partial<Record<SentimentLabel, number>>;
}

export interface NewsArticle {
  url: string;
  title: string;
  source: string;
  author?: string;
  /** ISO 8601 or epoch ms; decides the monthly index. */
  publishedAt: string | number;
  content?: string;
  summary?: string;
  keywords?: string[];
  /** Coins mentioned (e.g. BTC, ETH). Each also counts as a sentiment tag. */
  coins?: string[];
  tags?: string[];
  sentiment?: NewsSentiment;
  ingestedAt?: string | number;
}

export interface NewsDoc {
  url: string;
  canonicalUrl: string;
  title: string;
  source: string;
  author?: string;
  publishedAt: string;
  content?: string;
  summary?: string;
  keywords: string[];
  coins: string[];
  tags: string[];
  sentiment?: NewsSentiment;
  ingestedAt: string;
}

/** Sentiment of the news tagged `tag` published in one bucket. */
export interface SentimentAggregate {
  tag: string;
  timeframe: Timeframe;
  bucketStart: number;
  count: number;
  positive: number;
  negative: number;
  neutral: number;
  scoreSum: number;
  meanScore: number;
}

export interface SentimentAggregateDoc extends SentimentAggregate {
  updatedAt: number;
}
