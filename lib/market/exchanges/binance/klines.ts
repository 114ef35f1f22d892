// Binance spot GET /api/v3/klines: arrays of
// [openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", trades, "takerBuyBase", "takerBuyQuote", "0"],
// oldest first, at most 1000 (limit). Request weight 2 of 6000 a minute per IP.
import { z } from "zod";
import { KlineFormatError, type KlineSource } from "../../history/KlineSource.ts";

const decimal = z.string().regex(/^\d+(\.\d+)?$/, "must be a decimal string").transform(Number);
const row = z.tuple([z.number().int(), decimal, decimal, decimal, decimal, decimal, z.number().int(), decimal, z.number().int().nonnegative()]).rest(z.unknown());

export const binanceKlines: KlineSource = {
  exchange: "binance",
  defaultBaseUrl: "https://api.binance.com",
  pageMinutes: 1000,
  // 2 of 6000 weight/min would allow 50 requests/s; a quarter of that.
  minIntervalMs: 80,
  url: (base, symbol, from, to) =>
    `${base}/api/v3/klines?symbol=${encodeURIComponent(symbol)}&interval=1m&startTime=${from}&endTime=${to - 1}&limit=1000`,
  parse(body) {
    const parsed = z.array(row).safeParse(body);
    if (!parsed.success) throw new KlineFormatError(`binance klines: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
    return parsed.data.map(([openTime, open, high, low, close, volume, , quoteVolume, trades]) => ({ openTime, open, high, low, close, volume, quoteVolume, trades }));
  },
};
