// Bitmex GET /api/v1/trade/bucketed?binSize=1m&symbol=&startTime=&endTime=&count=1000&partial=false:
// [{timestamp, open, high, low, close, trades, volume, homeNotional, foreignNotional, …}],
// oldest first. A bin is stamped with its END (the 10:01:00 bin holds 10:00:00–10:00:59);
// startTime/endTime select by that stamp. Size in the base asset is `homeNotional`
// (`volume` counts contracts), as the trade parser reads it. 30 requests a minute
// without an API key.
import { z } from "zod";
import { KlineFormatError, type KlineSource } from "../../history/KlineSource.ts";

const MINUTE = 60_000;
const price = z.number().positive().finite();
const bin = z.object({
  timestamp: z.string().refine((s) => Number.isFinite(Date.parse(s)), "must be an ISO time"),
  open: price,
  high: price,
  low: price,
  close: price,
  trades: z.number().int().nonnegative(),
  homeNotional: z.number().nonnegative().finite(),
  foreignNotional: z.number().nonnegative().finite(),
});

export const bitmexKlines: KlineSource = {
  exchange: "bitmex",
  defaultBaseUrl: "https://www.bitmex.com",
  pageMinutes: 1000,
  // 30 requests a minute unauthenticated: one every 2 s, with a little room.
  minIntervalMs: 2100,
  url: (base, symbol, from, to) =>
    `${base}/api/v1/trade/bucketed?binSize=1m&symbol=${encodeURIComponent(symbol)}&startTime=${new Date(from + MINUTE).toISOString()}&endTime=${new Date(to).toISOString()}&count=1000&partial=false&reverse=false`,
  parse(body) {
    // Empty bins (no trade in the minute) come with null prices: nothing to store for them.
    const rows = Array.isArray(body) ? body.filter((r) => (r as { trades?: unknown } | null)?.trades !== 0) : body;
    const parsed = z.array(bin).safeParse(rows);
    if (!parsed.success) throw new KlineFormatError(`bitmex trade/bucketed: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
    return parsed.data.map((b) => ({
      openTime: Date.parse(b.timestamp) - MINUTE, open: b.open, high: b.high, low: b.low, close: b.close,
      volume: b.homeNotional, quoteVolume: b.foreignNotional, trades: b.trades,
    }));
  },
};
