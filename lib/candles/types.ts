// The market's own shapes, between the wire (contracts/market.ts, times as `ts`)
// and the stored documents (lib/store/types.ts): a normalised trade and a candle.
import type { CandleTimeframe, Timeframe } from "../../contracts/timeframes.ts";

/** A normalised trade (one fill on one exchange). Times are epoch ms, UTC. */
export interface MarketTrade {
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
  /** Time of the first and last trade in the bucket (a kline: the bucket's first and last millisecond). */
  openTime: number;
  closeTime: number;
  /** `klines`: an exchange's own 1m candle (history), not computed from stored trades. */
  origin?: "klines";
}

/** A candle of any level, including the internal per-second partials. */
export interface AnyCandle extends Omit<Candle, "timeframe"> {
  timeframe: CandleTimeframe;
}
