import { z } from "zod";
import { RestFailure, restGetJson } from "../../backfill/restErrors.ts";
import type { TimeHistorySource } from "../../backfill/TradeHistorySource.ts";
import { buildTrade } from "../buildRecords.ts";
import { toEpochMs } from "../ParsedMessage.ts";
import { BITMEX } from "./parse.ts";

// BitMEX: 30 requests a minute without an API key, every route 1; GET /trade returns at most 1000 rows.
const PAGE = 1000;

const rows = z.array(
  z.object({
    timestamp: z.string(), symbol: z.string(), side: z.enum(["Buy", "Sell"]), size: z.number(), price: z.number(),
    trdMatchID: z.string().min(1), homeNotional: z.number().nullish(),
  }),
);

/** BitMEX's trade history by time range (`GET /api/v1/trade?startTime=&endTime=&start=&count=`), reconciled by trdMatchID. */
export function bitmexTradeHistory(restUrl: string): TimeHistorySource {
  return {
    mode: "time",
    exchange: BITMEX,
    weights: { page: 1 },
    pageSize: PAGE,
    async page(symbol, fromMs, toMs, start, signal) {
      const query = new URLSearchParams({
        symbol, startTime: new Date(fromMs).toISOString(), endTime: new Date(toMs).toISOString(), count: String(PAGE), start: String(start), reverse: "false",
      });
      const parsed = rows.safeParse(await restGetJson(BITMEX, `${restUrl}/api/v1/trade?${query}`, signal));
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new RestFailure(BITMEX, "unavailable", `unexpected answer from /api/v1/trade: [${issue.path.join(".")}] ${issue.message}`);
      }
      const receivedAt = Date.now();
      return parsed.data.flatMap((r) => {
        const t = buildTrade({
          exchange: BITMEX, symbol: r.symbol, price: r.price, size: r.homeNotional ?? r.size, side: r.side === "Buy" ? "buy" : "sell",
          tradeId: r.trdMatchID, ts: toEpochMs(r.timestamp), receivedAt,
        });
        return t ? [t] : [];
      });
    },
  };
}
