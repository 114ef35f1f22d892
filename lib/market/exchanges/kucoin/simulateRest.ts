import type { SimRestRoute } from "../simulation.ts";

/** Kucoin's documented weight for Get Trade History, counted against the Public pool (2000 per 30 s). */
export const KUCOIN_HISTORIES_WEIGHT = 3;
/** Kucoin's trade history answers the last 100 trades, no more and no paging. */
export const KUCOIN_HISTORY_DEPTH = 100;

/**
 * `GET /api/v1/market/histories?symbol=`: `{code:"200000", data:[{sequence, price,
 * size, side, time}]}`, the last 100 trades (time in nanoseconds), oldest first.
 */
export function kucoinRestRoutes(): SimRestRoute[] {
  return [
    {
      method: "GET",
      path: "/api/v1/market/histories",
      weight: () => KUCOIN_HISTORIES_WEIGHT,
      answer(query, ctx) {
        const symbol = query.get("symbol") ?? "";
        const stream = /^[A-Z0-9]+-[A-Z0-9]+$/.test(symbol) ? ctx.markets.ensure("kucoin", symbol) : undefined;
        if (!stream) return { status: 200, body: { code: "400100", msg: "Unsupported trading pair." } };
        const data = stream.latestTrades(KUCOIN_HISTORY_DEPTH).map((t) => ({
          sequence: String(ctx.idBase + t.seq), price: String(t.price), size: String(t.size), side: t.side, time: t.ts * 1_000_000,
        }));
        return { status: 200, body: { code: "200000", data } };
      },
    },
  ];
}
