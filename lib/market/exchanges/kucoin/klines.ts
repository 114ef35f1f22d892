// Kucoin spot GET /api/v1/market/candles?type=1min&symbol=&startAt=&endAt= (seconds):
// {code: "200000", data: [["time", "open", "close", "high", "low", "volume", "turnover"], …]},
// newest first, at most 1500. Public limit: 2000 weight per 30 s, weight 3 each.
import { z } from "zod";
import { KlineFormatError, type KlineSource } from "../../history/KlineSource.ts";

const decimal = z.string().regex(/^\d+(\.\d+)?(e-?\d+)?$/i, "must be a decimal string").transform(Number);
const answer = z.object({
  code: z.string(),
  msg: z.string().optional(),
  data: z.array(z.tuple([z.string().regex(/^\d+$/, "must be epoch seconds").transform(Number), decimal, decimal, decimal, decimal, decimal, decimal]).rest(z.unknown())).optional(),
});

export const kucoinKlines: KlineSource = {
  exchange: "kucoin",
  defaultBaseUrl: "https://api.kucoin.com",
  pageMinutes: 1500,
  // 3 of 2000 weight per 30 s would allow ~22 requests/s; a quarter of that.
  minIntervalMs: 200,
  url: (base, symbol, from, to) =>
    `${base}/api/v1/market/candles?type=1min&symbol=${encodeURIComponent(symbol)}&startAt=${Math.floor(from / 1000)}&endAt=${Math.floor(to / 1000)}`,
  parse(body) {
    const parsed = answer.safeParse(body);
    if (!parsed.success) throw new KlineFormatError(`kucoin candles: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
    if (parsed.data.code !== "200000") throw new KlineFormatError(`kucoin candles: code ${parsed.data.code}: ${parsed.data.msg ?? ""}`);
    return (parsed.data.data ?? [])
      .map(([t, open, close, high, low, volume, quoteVolume]) => ({ openTime: t * 1000, open, high, low, close, volume, quoteVolume }))
      .reverse();
  },
};
