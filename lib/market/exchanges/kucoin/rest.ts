import { z } from "zod";
import type { Trade } from "../../../../contracts/market.ts";
import { RestFailure, restGetJson } from "../../backfill/restErrors.ts";
import type { IdHistorySource } from "../../backfill/TradeHistorySource.ts";
import { buildTrade } from "../buildRecords.ts";
import { toEpochMs, toNumber } from "../ParsedMessage.ts";
import { KUCOIN } from "./parse.ts";

// Kucoin "Get Trade Histories": weight 3 in the Public pool (2000 per 30 s); the last 100 trades, no paging:
// a gap older than those is beyond what REST can recover.
const WEIGHT = 3;
const DEPTH = 100;

const answer = z.object({
  code: z.string(),
  msg: z.string().optional(),
  data: z.array(z.object({ sequence: z.string().regex(/^\d+$/), price: z.string(), size: z.string(), side: z.enum(["buy", "sell"]), time: z.union([z.number(), z.string()]) })).optional(),
});

async function history(restUrl: string, symbol: string, signal: AbortSignal): Promise<Trade[]> {
  const url = `${restUrl}/api/v1/market/histories?symbol=${encodeURIComponent(symbol)}`;
  const parsed = answer.safeParse(await restGetJson(KUCOIN, url, signal));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RestFailure(KUCOIN, "unavailable", `unexpected answer from market/histories: [${issue.path.join(".")}] ${issue.message}`);
  }
  if (parsed.data.code !== "200000") throw new RestFailure(KUCOIN, "unavailable", `market/histories answered code ${parsed.data.code}: ${parsed.data.msg ?? ""}`);
  const receivedAt = Date.now();
  return (parsed.data.data ?? [])
    .flatMap((r) => {
      const t = buildTrade({ exchange: KUCOIN, symbol, price: toNumber(r.price), size: toNumber(r.size), side: r.side, tradeId: r.sequence, ts: toEpochMs(r.time), receivedAt });
      return t ? [t] : [];
    })
    .sort((a, b) => (BigInt(a.tradeId) < BigInt(b.tradeId) ? -1 : 1));
}

/** Kucoin's trade history (`GET /api/v1/market/histories`): ids are the match sequences, the collector's trade ids. */
export function kucoinTradeHistory(restUrl: string): IdHistorySource {
  return {
    mode: "ids",
    exchange: KUCOIN,
    weights: { latest: WEIGHT, page: WEIGHT },
    pageSize: DEPTH,
    async latest(symbol, signal) {
      const last = (await history(restUrl, symbol, signal)).at(-1);
      return last ? { id: BigInt(last.tradeId), ts: last.ts } : undefined;
    },
    // The whole answer, not only [from, to]: its oldest sequence tells how far back REST still reaches.
    page: (symbol, _from, _to, signal) => history(restUrl, symbol, signal),
  };
}
