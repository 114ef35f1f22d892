import { z } from "zod";
import type { Trade } from "../../../../contracts/market.ts";
import { RestFailure, restGetJson } from "../../backfill/restErrors.ts";
import type { IdHistorySource } from "../../backfill/TradeHistorySource.ts";
import { buildTrade } from "../buildRecords.ts";
import { toNumber } from "../ParsedMessage.ts";
import { BINANCE } from "./parse.ts";

// binance-spot-api-docs rest-api.md: "Recent trades list" and "Old trade lookup" weigh 25 each;
// historicalTrades needs no API key since 2024-04-02 (security type NONE). 1000 rows at most.
const WEIGHT = 25;
const PAGE = 1000;

const rows = z.array(
  z.object({ id: z.number().int().nonnegative(), price: z.string(), qty: z.string(), time: z.number().int(), isBuyerMaker: z.boolean() }),
);

function trades(symbol: string, body: unknown, url: string): Trade[] {
  const parsed = rows.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RestFailure(BINANCE, "unavailable", `unexpected answer from ${url.split("?")[0]}: [${issue.path.join(".")}] ${issue.message}`);
  }
  const receivedAt = Date.now();
  return parsed.data.flatMap((r) => {
    // isBuyerMaker: the buyer rested on the book, so the taker sold.
    const t = buildTrade({ exchange: BINANCE, symbol, price: toNumber(r.price), size: toNumber(r.qty), side: r.isBuyerMaker ? "sell" : "buy", tradeId: r.id, ts: r.time, receivedAt });
    return t ? [t] : [];
  });
}

/** Binance spot's trade history: latest from `GET /api/v3/trades?limit=1`, pages from `GET /api/v3/historicalTrades?fromId=`. */
export function binanceTradeHistory(restUrl: string): IdHistorySource {
  return {
    mode: "ids",
    exchange: BINANCE,
    weights: { latest: WEIGHT, page: WEIGHT },
    pageSize: PAGE,
    async latest(symbol, signal) {
      const url = `${restUrl}/api/v3/trades?symbol=${encodeURIComponent(symbol)}&limit=1`;
      const last = trades(symbol, await restGetJson(BINANCE, url, signal), url).at(-1);
      return last ? { id: BigInt(last.tradeId), ts: last.ts } : undefined;
    },
    async page(symbol, from, to, signal) {
      const limit = Number(to - from + 1n < BigInt(PAGE) ? to - from + 1n : BigInt(PAGE));
      const url = `${restUrl}/api/v3/historicalTrades?symbol=${encodeURIComponent(symbol)}&fromId=${from}&limit=${limit}`;
      return trades(symbol, await restGetJson(BINANCE, url, signal), url);
    },
  };
}
