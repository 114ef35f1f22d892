import { z } from "zod";

// What the collector reports of each window's gaps (on the price queue, beside
// the market batches), what consume-prices keeps of it, and the MQTT payload of
// cryptoviz/price-feed/<COIN>/notify/gap.

const exchange = z.string().regex(/^[a-z0-9-]{1,32}$/, "must be a lower-case exchange name such as binance");
const asset = z.string().regex(/^[A-Z0-9]{1,20}$/, "must be an upper-case asset code such as BTC");
const epochMs = z.number().int().min(1_000_000_000_000).max(99_999_999_999_999);
const count = z.number().int().nonnegative();
const position = z.string().regex(/^\d{1,30}$/, "must be a decimal trade id or millisecond");

export const MARKET_COMPLETENESS_SCHEMA = "market.completeness/v1";

/** One exchange+symbol+hour as one window saw it. `symbol` is the store's (BTCUSDT for BTC-USDT and XBTUSD alike). */
export const completenessHourSchema = z.strictObject({
  symbol: z.string().min(1).max(32),
  base: asset,
  /** Start of the UTC hour. */
  hour: epochMs,
  /** Trades read live and shipped (repeats not counted). */
  live: count,
  /** Trades fetched over REST and shipped. */
  backfilled: count,
  /** Trade ids found older than REST reaches: known, unrecoverable. */
  lost: count,
  /** Ids still missing at the end of the window (exchanges with trade ids). */
  pendingTrades: count,
  /** Gaps still open at the end of the window (for BitMEX, time ranges). */
  pendingGaps: count,
  /** Lowest and highest trade id the hour holds (live, backfilled or lost), for exchanges with trade ids. */
  firstId: position.optional(),
  lastId: position.optional(),
});
export type CompletenessHour = z.infer<typeof completenessHourSchema>;

/** A gap opened, filled over REST, or found beyond REST's reach. from/to: trade ids, or milliseconds for BitMEX. */
export const gapEventSchema = z.strictObject({
  kind: z.enum(["opened", "filled", "lost"]),
  exchange,
  /** The exchange's own symbol. */
  symbol: z.string().min(1).max(32),
  base: asset,
  from: position,
  to: position,
  trades: count,
  fromTs: epochMs,
  toTs: epochMs,
  at: epochMs,
});
export type GapNotification = z.infer<typeof gapEventSchema>;

export const marketCompletenessSchema = z.strictObject({
  exchange,
  /** Unique per collection window: the store keeps one document per window and hour, so a redelivery overwrites. */
  windowId: z.string().min(1).max(200),
  windowStart: epochMs,
  windowEnd: epochMs,
  /** Whether gaps are tracked by trade id (Binance, Kucoin) or by time range (BitMEX). */
  mode: z.enum(["ids", "time"]),
  hours: z.array(completenessHourSchema).max(5000),
  events: z.array(gapEventSchema).max(1000),
});
export type MarketCompleteness = z.infer<typeof marketCompletenessSchema>;
