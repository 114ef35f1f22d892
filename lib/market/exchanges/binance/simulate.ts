import type { SimContext, SimSocket } from "../simulation.ts";

const TICKER_ARR = "!miniTicker@arr";

/**
 * Binance spot websocket: `/ws` with SUBSCRIBE/UNSUBSCRIBE requests (answered
 * `{result:null,id}`), `/ws/<stream>` and the combined `/stream?streams=a/b`
 * (messages wrapped in `{stream,data}`). Streams: `<symbol>@trade` (one message
 * per trade, ids consecutive per symbol), `<symbol>@bookTicker` (best bid/ask on
 * every quote change, `u` the book's update id) and `!miniTicker@arr` (every
 * second, all configured symbols).
 */
export function serveBinance(conn: SimSocket, ctx: SimContext, path: string, query: URLSearchParams): void {
  const combined = path === "/stream";
  const active = new Map<string, () => void>();
  let bookUpdateId = ctx.idBase;
  const send = (stream: string, data: unknown) => conn.sendJson(combined ? { stream, data } : data);

  const subscribe = (stream: string): boolean => {
    if (active.has(stream)) return true;
    if (stream === TICKER_ARR) {
      for (const symbol of ctx.symbols.binance) ctx.markets.ensure("binance", symbol);
      const timer = setInterval(() => {
        const now = Date.now();
        const ticks = ctx.markets.streams("binance").map((s) => ({
          e: "24hrMiniTicker", E: now, s: s.symbol, c: String(s.lastPrice),
          o: String(s.day.open), h: String(s.day.high), l: String(s.day.low), v: s.day.volume.toFixed(8), q: s.day.quoteVolume.toFixed(8),
        }));
        if (ticks.length > 0 && send(stream, ticks)) conn.counters.ticksSent += ticks.length;
      }, 1000);
      active.set(stream, () => clearInterval(timer));
      return true;
    }
    const book = /^([a-z0-9]+)@bookTicker$/.exec(stream);
    if (book) {
      const symbol = book[1]!.toUpperCase();
      const off = ctx.markets.onQuotes("binance", symbol, (_s, q) => {
        const data = { u: ++bookUpdateId, s: symbol, b: String(q.bid), B: String(q.bidSize), a: String(q.ask), A: String(q.askSize) };
        if (send(stream, data)) conn.counters.quotesSent++;
      });
      if (!off) return false;
      active.set(stream, off);
      return true;
    }
    const match = /^([a-z0-9]+)@trade$/.exec(stream);
    if (!match) return false;
    const symbol = match[1]!.toUpperCase();
    const off = ctx.markets.onTrades("binance", symbol, (_s, trades) => {
      for (const t of trades) {
        const data = { e: "trade", E: t.ts, s: symbol, t: ctx.idBase + t.seq, p: String(t.price), q: String(t.size), T: t.ts, m: t.side === "sell", M: true };
        if (send(stream, data)) conn.counters.tradesSent++;
      }
    });
    if (!off) return false;
    active.set(stream, off);
    return true;
  };
  conn.onClose(() => {
    for (const off of active.values()) off();
    active.clear();
  });

  const initial = combined ? (query.get("streams") ?? "").split("/") : path.startsWith("/ws/") ? [path.slice(4)] : [];
  for (const stream of initial.filter(Boolean)) subscribe(stream);

  conn.onMessage((raw) => {
    let request: { method?: unknown; params?: unknown; id?: unknown };
    try {
      request = JSON.parse(String(raw));
    } catch {
      conn.sendJson({ code: 3, msg: "Invalid JSON: expected value at line 1 column 1" });
      return;
    }
    const params = Array.isArray(request.params) ? request.params.map(String) : [];
    if (request.method === "SUBSCRIBE") {
      const unknown = params.filter((p) => !subscribe(p));
      if (unknown.length > 0) conn.sendJson({ error: { code: 2, msg: `Invalid request: unknown stream ${unknown.join(",")}` }, id: request.id });
      else conn.sendJson({ result: null, id: request.id });
    } else if (request.method === "UNSUBSCRIBE") {
      for (const p of params) {
        active.get(p)?.();
        active.delete(p);
      }
      conn.sendJson({ result: null, id: request.id });
    } else if (request.method === "LIST_SUBSCRIPTIONS") {
      conn.sendJson({ result: [...active.keys()], id: request.id });
    } else {
      conn.sendJson({ error: { code: 2, msg: "Invalid request: unknown method" }, id: request.id ?? null });
    }
  });
}
