import type { SentimentLabel } from "../../contracts/sentiment.ts";
// Shapes of what the store writes and returns.
import type { Timeframe } from "../../contracts/timeframes.ts";
import type { AnyCandle, Candle, MarketTrade } from "../candles/types.ts";
export type { AnyCandle, Candle, MarketTrade };

/** An input item tagged with the caller's record key (e.g. an SQS messageId). */
export interface Keyed<T> {
  key: string;
  item: T;
}


/** A trade as stored: adds the quote volume (price × size) so it can be summed. */
export interface TradeDoc extends MarketTrade {
  quoteVolume: number;
}



export interface CandleDoc extends Candle {
  updatedAt: number;
}

/** Best bid/ask (and last price) on one exchange for one symbol at `at`. */
export interface QuoteDoc {
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
export interface ListingDoc {
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

/** An enriched article, as the news consumer hands it to the store. */
export interface EnrichedArticle {
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

/** A social post as stored (`cryptoviz-social-posts-*`): the `social.post/v1` fields, its sentiment and coin tags. */
export interface SocialPostDoc {
  source: string;
  /** The source's own id (`_id` is the hash of source and this). */
  postId: string;
  authorId: string;
  authorHandle?: string;
  authorName?: string;
  authorFollowers?: number;
  /** The author's place in a HyperLogLog sketch (lib/sketch/hyperLogLog.ts). */
  authorHll: { register: number; rank: number };
  text: string;
  langs: string[];
  hashtags: string[];
  likeCount?: number;
  repostCount?: number;
  repostOf?: string;
  /** ISO 8601; decides the daily index and the activity minute. */
  createdAt: string;
  receivedAt: string;
  coins: string[];
  sentiment: NewsSentiment;
  ingestedAt: string;
}

/** Posts of one coin created in one minute: counts, sentiment and distinct authors (a sketch that merges). */
export interface SocialActivity {
  coin: string;
  /** Minute start, epoch ms. */
  bucketStart: number;
  posts: number;
  /** Estimated distinct authors in the minute. */
  authors: number;
  /** The minute's HyperLogLog sketch, encoded (HyperLogLog.encode). */
  authorsHll: string;
  positive: number;
  negative: number;
  neutral: number;
  scoreSum: number;
  meanScore: number;
}

export interface SocialActivityDoc extends SocialActivity {
  updatedAt: number;
}
