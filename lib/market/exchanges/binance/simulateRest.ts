import type { SimContext, SimRestAnswer, SimRestRoute, SimTrade } from "../simulation.ts";

// Weights as Binance documents them (rest-api.md: "Recent trades list" and "Old trade lookup", 25 each since 2024-04).
export const BINANCE_TRADES_WEIGHT = 25;
const MAX_LIMIT = 1000;

const row = (ctx: SimContext, t: SimTrade) => ({
  id: ctx.idBase + t.seq, price: String(t.price), qty: String(t.size), quoteQty: String(Math.round(t.price * t.size * 1e8) / 1e8),
  time: t.ts, isBuyerMaker: t.side === "sell", isBestMatch: true,
});

function limitOf(query: URLSearchParams): number | SimRestAnswer {
  const raw = query.get("limit");
  if (raw === null) return 500;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) return { status: 400, body: { code: -1100, msg: "Illegal characters found in parameter 'limit'; legal range is '^[0-9]{1,20}$'." } };
  return Math.min(n, MAX_LIMIT);
}

function streamOf(query: URLSearchParams, ctx: SimContext) {
  const symbol = query.get("symbol") ?? "";
  if (!symbol) return { status: 400, body: { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." } } as SimRestAnswer;
  return ctx.markets.ensure("binance", symbol) ?? ({ status: 400, body: { code: -1121, msg: "Invalid symbol." } } as SimRestAnswer);
}

const isAnswer = (v: unknown): v is SimRestAnswer => typeof v === "object" && v !== null && "status" in v && "body" in v;

/**
 * Binance spot's public trade history: `GET /api/v3/trades` (the most recent)
 * and `GET /api/v3/historicalTrades?fromId=` (from an id on; no API key since
 * 2024-04-02), both `[{id, price, qty, quoteQty, time, isBuyerMaker, isBestMatch}]`
 * oldest first. A `fromId` older than what is kept answers from the oldest kept.
 */
export function binanceRestRoutes(): SimRestRoute[] {
  return [
    {
      method: "GET",
      path: "/api/v3/trades",
      weight: () => BINANCE_TRADES_WEIGHT,
      answer(query, ctx) {
        const stream = streamOf(query, ctx);
        const limit = limitOf(query);
        if (isAnswer(stream)) return stream;
        if (isAnswer(limit)) return limit;
        return { status: 200, body: stream.latestTrades(limit).map((t) => row(ctx, t)) };
      },
    },
    {
      method: "GET",
      path: "/api/v3/historicalTrades",
      weight: () => BINANCE_TRADES_WEIGHT,
      answer(query, ctx) {
        const stream = streamOf(query, ctx);
        const limit = limitOf(query);
        if (isAnswer(stream)) return stream;
        if (isAnswer(limit)) return limit;
        const fromId = query.get("fromId");
        if (fromId === null) return { status: 200, body: stream.latestTrades(limit).map((t) => row(ctx, t)) };
        const id = Number(fromId);
        if (!Number.isSafeInteger(id) || id < 0) return { status: 400, body: { code: -1100, msg: "Illegal characters found in parameter 'fromId'." } };
        return { status: 200, body: stream.tradesFrom(id - ctx.idBase, limit).map((t) => row(ctx, t)) };
      },
    },
  ];
}
