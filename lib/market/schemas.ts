import { z } from "zod";

const asset = z.string().regex(/^[A-Z0-9]{1,20}$/, "must be an upper-case asset code such as BTC");
const exchange = z.string().regex(/^[a-z0-9-]{1,32}$/, "must be a lower-case exchange name such as binance");
const epochMs = z.number().int().min(1_000_000_000_000).max(99_999_999_999_999);

/** One normalised trade, whatever the exchange. */
export const tradeSchema = z.strictObject({
  exchange,
  /** The exchange's own symbol, e.g. BTCUSDT, BTC-USDT, XBTUSD. */
  symbol: z.string().min(1).max(32),
  base: asset,
  quote: asset,
  price: z.number().positive().finite(),
  size: z.number().nonnegative().finite(),
  side: z.enum(["buy", "sell"]),
  tradeId: z.string().min(1).max(128),
  /** Exchange timestamp, ms since the epoch. */
  ts: epochMs,
  receivedAt: epochMs,
});
export type Trade = z.infer<typeof tradeSchema>;

/** Best bid / best ask of one symbol on one exchange at a moment. */
export const quoteSchema = z.strictObject({
  exchange,
  symbol: z.string().min(1).max(32),
  base: asset,
  quote: asset,
  bid: z.number().positive().finite(),
  ask: z.number().positive().finite(),
  bidSize: z.number().nonnegative().finite().optional(),
  askSize: z.number().nonnegative().finite().optional(),
  last: z.number().positive().finite().optional(),
  ts: epochMs,
  receivedAt: epochMs,
});
export type Quote = z.infer<typeof quoteSchema>;

/** `market.batch/v1` payload: what a collector saw in one flush. */
export const marketBatchSchema = z
  .strictObject({
    exchange,
    trades: z.array(tradeSchema).max(5000).default([]),
    quotes: z.array(quoteSchema).max(5000).default([]),
  })
  .refine((b) => b.trades.length + b.quotes.length > 0, { message: "a batch needs at least one trade or quote" });
export type MarketBatch = z.infer<typeof marketBatchSchema>;

export const MARKET_BATCH_SCHEMA = "market.batch/v1";
