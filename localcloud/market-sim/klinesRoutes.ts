// The exchanges' 1-minute candle endpoints, served from the simulated markets with
// the real request parameters and response shapes:
//   Binance  GET /binance/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=&endTime=&limit=   (≤ 1000, oldest first)
//   Kucoin   GET /kucoin/api/v1/market/candles?type=1min&symbol=BTC-USDT&startAt=&endAt=        (seconds, ≤ 1500, newest first)
//   Bitmex   GET /bitmex/api/v1/trade/bucketed?binSize=1m&symbol=XBTUSD&startTime=&endTime=&count=&start=&reverse=&partial=
//            (timestamp = the END of the bin; ≤ 1000)
// Only 1-minute candles are served: the backfill asks for nothing else.
import type { IncomingMessage, ServerResponse } from "node:http";
import { normaliseSymbol } from "../../contracts/symbols.ts";
import type { SimExchange } from "./exchangeSymbols.ts";
import { KlineHistory, type SimKline } from "./KlineHistory.ts";
import type { MarketHub } from "./MarketHub.ts";
import type { MarketStream } from "./MarketStream.ts";

const MINUTE = 60_000;

export interface KlineRoutes {
  /** True when the request was a klines route (answered). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

type Reply = (status: number, body: unknown) => void;

export function klineRoutes(hub: MarketHub, seed: string | number, now: () => number = Date.now): KlineRoutes {
  const histories = new WeakMap<MarketStream, KlineHistory>();
  const historyOf = (stream: MarketStream): KlineHistory => {
    let h = histories.get(stream);
    if (h === undefined) {
      const pair = normaliseSymbol(stream.symbol) ?? { base: stream.symbol, quote: "" };
      histories.set(stream, (h = new KlineHistory(seed, pair.base, pair.quote, stream)));
    }
    return h;
  };
  // Every trade any market makes, from its first step on.
  hub.onAnyTrades((stream, trades) => historyOf(stream).record(trades));
  const market = (exchange: SimExchange, symbol: string | null): KlineHistory | undefined => {
    const stream = symbol ? hub.ensure(exchange, symbol) : undefined;
    return stream ? historyOf(stream) : undefined;
  };

  function binance(q: URLSearchParams, reply: Reply): void {
    const history = market("binance", q.get("symbol"));
    if (!history) return reply(400, { code: -1121, msg: "Invalid symbol." });
    if (q.get("interval") !== "1m") return reply(400, { code: -1120, msg: "Invalid interval." });
    const limit = Math.min(1000, Math.max(1, Number(q.get("limit") ?? 500) || 500));
    const end = q.has("endTime") ? Number(q.get("endTime")) + 1 : now() + 1;
    const start = q.has("startTime") ? Number(q.get("startTime")) : undefined;
    if (!Number.isFinite(end) || (start !== undefined && !Number.isFinite(start))) return reply(400, { code: -1100, msg: "Illegal characters found in a parameter." });
    // With a start: the first `limit` from it; without: the last `limit` before the end.
    const all = history.klines(start ?? end - limit * MINUTE, end, now());
    const page = start !== undefined ? all.slice(0, limit) : all.slice(-limit);
    reply(200, page.map((k) => [
      k.openTime, String(k.open), String(k.high), String(k.low), String(k.close), String(k.volume),
      k.openTime + MINUTE - 1, String(k.quoteVolume), k.trades, String(k.buyVolume), String(round8(k.buyVolume * (k.quoteVolume / (k.volume || 1)))), "0",
    ]));
  }

  function kucoin(q: URLSearchParams, reply: Reply): void {
    const history = market("kucoin", q.get("symbol"));
    if (!history) return reply(200, { code: "400100", msg: "This pair is not provided at present" });
    if (q.get("type") !== "1min") return reply(200, { code: "400100", msg: "Unsupported type" });
    const endAt = q.has("endAt") && q.get("endAt") !== "0" ? Number(q.get("endAt")) * 1000 : now() + 1;
    const startAt = q.has("startAt") && q.get("startAt") !== "0" ? Number(q.get("startAt")) * 1000 : endAt - 1500 * MINUTE;
    // Newest first, at most 1500: a longer range is cut at its older end.
    const page = history.klines(startAt, endAt, now()).slice(-1500).reverse();
    reply(200, {
      code: "200000",
      data: page.map((k) => [String(k.openTime / 1000), String(k.open), String(k.close), String(k.high), String(k.low), String(k.volume), String(k.quoteVolume)]),
    });
  }

  function bitmex(q: URLSearchParams, reply: Reply): void {
    const history = market("bitmex", q.get("symbol"));
    if (!history) return reply(404, { error: { message: "Instrument not listed.", name: "HTTPError" } });
    if (q.get("binSize") !== "1m") return reply(400, { error: { message: "binSize must be one of 1m, 5m, 1h, 1d (the simulator serves 1m)", name: "ValidationError" } });
    const count = Math.min(1000, Math.max(1, Number(q.get("count") ?? 100) || 100));
    const skip = Math.max(0, Number(q.get("start") ?? 0) || 0);
    const reverse = q.get("reverse") === "true";
    const partial = q.get("partial") === "true";
    // Bins are stamped with their end: startTime/endTime (inclusive) select by that stamp.
    const t = now();
    const fromEnd = q.has("startTime") ? Date.parse(q.get("startTime") as string) : t - 7 * 86_400_000;
    const toEnd = q.has("endTime") ? Date.parse(q.get("endTime") as string) : t + MINUTE;
    if (!Number.isFinite(fromEnd) || !Number.isFinite(toEnd)) return reply(400, { error: { message: "startTime and endTime must be ISO dates", name: "ValidationError" } });
    let rows = history.klines(fromEnd - MINUTE, toEnd - MINUTE + 1, t).filter((k) => partial || k.openTime + MINUTE <= t);
    if (reverse) rows = rows.reverse();
    rows = rows.slice(skip, skip + count);
    const symbol = q.get("symbol") as string;
    reply(200, rows.map((k) => bitmexBin(symbol, k)));
  }

  return {
    handle(req, res, url) {
      const reply: Reply = (status, body) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      const route = ROUTES[url.pathname];
      if (route === undefined) return false;
      if (req.method !== "GET") {
        reply(405, { msg: "method not allowed" });
        return true;
      }
      req.resume();
      ({ binance, kucoin, bitmex })[route](url.searchParams, reply);
      return true;
    },
  };
}

const ROUTES: Readonly<Record<string, SimExchange>> = {
  "/binance/api/v3/klines": "binance",
  "/kucoin/api/v1/market/candles": "kucoin",
  "/bitmex/api/v1/trade/bucketed": "bitmex",
};

const round8 = (n: number) => Math.round(n * 1e8) / 1e8;

/** A Bitmex trade bin: `homeNotional` in the base asset, `foreignNotional` in the quote (what `volume` counts for an inverse contract). */
function bitmexBin(symbol: string, k: SimKline) {
  return {
    timestamp: new Date(k.openTime + MINUTE).toISOString(),
    symbol,
    open: k.open,
    high: k.high,
    low: k.low,
    close: k.close,
    trades: k.trades,
    volume: Math.round(k.quoteVolume),
    vwap: k.volume > 0 ? k.quoteVolume / k.volume : k.close,
    lastSize: null,
    turnover: Math.round(k.volume * 1e8),
    homeNotional: k.volume,
    foreignNotional: k.quoteVolume,
  };
}
