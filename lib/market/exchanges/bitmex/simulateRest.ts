import type { SimRestRoute } from "../simulation.ts";
import { bitmexTradeRow } from "./simulate.ts";

/** BitMEX allows 30 requests a minute to unauthenticated clients (120 with a key); every route counts 1. */
export const BITMEX_REQUEST_WEIGHT = 1;
const MAX_COUNT = 1000;

/**
 * `GET /api/v1/trade?symbol=&startTime=&endTime=&count=&start=&reverse=`: rows of
 * the `trade` table (the websocket's shape), oldest first unless `reverse=true`;
 * `count` at most 1000, `start` skips that many rows (paging).
 */
export function bitmexRestRoutes(): SimRestRoute[] {
  return [
    {
      method: "GET",
      path: "/api/v1/trade",
      weight: () => BITMEX_REQUEST_WEIGHT,
      answer(query, ctx) {
        const symbol = query.get("symbol") ?? "";
        const stream = symbol ? ctx.markets.ensure("bitmex", symbol) : undefined;
        if (!stream) return { status: 400, body: { error: { message: `Unknown symbol ${symbol}`, name: "HTTPError" } } };
        const count = Number(query.get("count") ?? 100);
        const start = Number(query.get("start") ?? 0);
        if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) return { status: 400, body: { error: { message: "count must be between 1 and 1000", name: "ValidationError" } } };
        if (!Number.isInteger(start) || start < 0) return { status: 400, body: { error: { message: "start must be a non-negative integer", name: "ValidationError" } } };
        const time = (name: string, fallback: number) => {
          const raw = query.get(name);
          return raw === null ? fallback : Date.parse(raw);
        };
        const from = time("startTime", 0);
        const to = time("endTime", Number.MAX_SAFE_INTEGER);
        if (Number.isNaN(from) || Number.isNaN(to)) return { status: 400, body: { error: { message: "startTime/endTime must be dates", name: "ValidationError" } } };
        let rows = stream.tradesBetween(from, to);
        if (query.get("reverse") === "true") rows = rows.reverse();
        return { status: 200, body: rows.slice(start, start + count).map((t) => bitmexTradeRow(symbol, t, ctx.idBase)) };
      },
    },
  ];
}
