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

/** The most trades, and the most quotes, one `market.batch` payload (v1 or v2) may hold. */
export const MARKET_BATCH_MAX_RECORDS = 5000;
const MAX_RECORDS = MARKET_BATCH_MAX_RECORDS;

/** `market.batch/v1` payload: trades and quotes one object each (the ingest webhook writes it; collectors write v2 below). */
export const marketBatchSchema = z
  .strictObject({
    exchange,
    trades: z.array(tradeSchema).max(MAX_RECORDS).default([]),
    quotes: z.array(quoteSchema).max(MAX_RECORDS).default([]),
  })
  .refine((b) => b.trades.length + b.quotes.length > 0, { message: "a batch needs at least one trade or quote" });
export type MarketBatch = z.infer<typeof marketBatchSchema>;

export const MARKET_BATCH_SCHEMA = "market.batch/v1";

/**
 * `market.batch/v2`: the same batch with its trades as columns, one group per
 * symbol. A collector's batch is one symbol, so base, quote, symbol and
 * exchange are written once instead of per trade: the message is about a
 * third of v1's size, and every byte of it is escaped, hashed, parsed and
 * validated several times between the collector and the consumer. Consumers
 * accept both versions; validation turns v2 into v1's shape.
 */
export const MARKET_BATCH_V2_SCHEMA = "market.batch/v2";

/** The trades of one symbol, column by column: value i of every column is trade i. */
export const tradeColumnsSchema = z
  .strictObject({
    symbol: z.string().min(1).max(32),
    base: asset,
    quote: asset,
    tradeId: z.array(z.string().min(1).max(128)).min(1).max(MAX_RECORDS),
    price: z.array(z.number().positive().finite()).max(MAX_RECORDS),
    size: z.array(z.number().nonnegative().finite()).max(MAX_RECORDS),
    /** One letter per trade, the taker's side: `b` buy, `s` sell. */
    side: z.string().regex(/^[bs]+$/, "must be one letter per trade: b (buy) or s (sell)").max(MAX_RECORDS),
    ts: z.array(epochMs).max(MAX_RECORDS),
    receivedAt: z.array(epochMs).max(MAX_RECORDS),
  })
  .superRefine((c, ctx) => {
    const n = c.tradeId.length;
    for (const field of ["price", "size", "side", "ts", "receivedAt"] as const) {
      if (c[field].length !== n) ctx.addIssue({ code: "custom", path: [field], message: `has ${c[field].length} values for ${n} trade ids` });
    }
  });
export type TradeColumns = z.infer<typeof tradeColumnsSchema>;

/** The wire form of `market.batch/v2`, as producers write it. */
export interface MarketBatchV2 {
  exchange: string;
  trades: TradeColumns[];
  quotes: Quote[];
}

export const marketBatchV2Schema = z
  .strictObject({
    exchange,
    trades: z.array(tradeColumnsSchema).max(MAX_RECORDS).default([]),
    quotes: z.array(quoteSchema).max(MAX_RECORDS).default([]),
  })
  .superRefine((b, ctx) => {
    const trades = b.trades.reduce((n, c) => n + c.tradeId.length, 0);
    if (trades > MAX_RECORDS) ctx.addIssue({ code: "custom", path: ["trades"], message: `holds ${trades} trades, at most ${MAX_RECORDS}` });
    if (trades + b.quotes.length === 0) ctx.addIssue({ code: "custom", path: [], message: "a batch needs at least one trade or quote" });
  })
  .transform((b): MarketBatch => ({ exchange: b.exchange, trades: b.trades.flatMap((c) => tradesFromColumns(b.exchange, c)), quotes: b.quotes }));

/** Groups trades into columns by symbol, keeping their order within each symbol. Every trade must be of `exchange`. */
export function tradeColumns(exchange: string, trades: readonly Trade[]): TradeColumns[] {
  const bySymbol = new Map<string, TradeColumns>();
  let c: TradeColumns | undefined;
  for (const t of trades) {
    if (t.exchange !== exchange) throw new RangeError(`trade ${t.tradeId} is from ${t.exchange}, the batch from ${exchange}`);
    // A collector's batch is one symbol: look up the group only when the symbol changes.
    if (c === undefined || c.symbol !== t.symbol || c.base !== t.base || c.quote !== t.quote) {
      const key = `${t.symbol}\u0000${t.base}\u0000${t.quote}`;
      c = bySymbol.get(key);
      if (c === undefined) {
        c = { symbol: t.symbol, base: t.base, quote: t.quote, tradeId: [], price: [], size: [], side: "", ts: [], receivedAt: [] };
        bySymbol.set(key, c);
      }
    }
    c.tradeId.push(t.tradeId);
    c.price.push(t.price);
    c.size.push(t.size);
    c.side += t.side === "buy" ? "b" : "s";
    c.ts.push(t.ts);
    c.receivedAt.push(t.receivedAt);
  }
  return [...bySymbol.values()];
}

/** The v1 trades of one column group (validated: every column has one value per trade id). */
export function tradesFromColumns(exchange: string, c: TradeColumns): Trade[] {
  const out: Trade[] = new Array(c.tradeId.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = {
      exchange, symbol: c.symbol, base: c.base, quote: c.quote,
      price: c.price[i]!, size: c.size[i]!, side: c.side.charCodeAt(i) === 98 ? "buy" : "sell",
      tradeId: c.tradeId[i]!, ts: c.ts[i]!, receivedAt: c.receivedAt[i]!,
    };
  }
  return out;
}
