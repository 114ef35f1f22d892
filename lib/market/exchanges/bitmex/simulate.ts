import type { SimContext, SimQuote, SimSocket, SimTrade } from "../simulation.ts";

const TRADE_TYPES = { timestamp: "timestamp", symbol: "symbol", side: "symbol", size: "long", price: "float", tickDirection: "symbol", trdMatchID: "guid", grossValue: "long", homeNotional: "float", foreignNotional: "float", trdType: "symbol" };
const QUOTE_TYPES = { timestamp: "timestamp", symbol: "symbol", bidSize: "long", bidPrice: "float", askPrice: "float", askSize: "long" };

const uuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
// Inverse contracts (quoted in USD) count in USD; linear ones in base units of 1e-6.
const contracts = (symbol: string, base: number, price: number) => (symbol.endsWith("USD") ? Math.max(1, Math.round(base * price)) : Math.max(1, Math.round(base * 1e6)));

/**
 * One row of the `trade` table (websocket and REST alike). trdMatchID is a random
 * UUID, as BitMEX's (no sequence in it), offset by the run's id base so that a
 * restarted simulator with the same seed does not reissue ids the store has seen.
 */
export function bitmexTradeRow(symbol: string, t: SimTrade, idBase: number) {
  const head = ((parseInt(t.entropy.slice(0, 12), 16) + idBase) % 0x1_0000_0000_0000).toString(16).padStart(12, "0");
  return {
    timestamp: new Date(t.ts).toISOString(), symbol, side: t.side === "buy" ? "Buy" : "Sell", size: contracts(symbol, t.size, t.price), price: t.price,
    tickDirection: t.side === "buy" ? "PlusTick" : "MinusTick", trdMatchID: uuid(head + t.entropy.slice(12)),
    grossValue: Math.round(t.size * 1e8), homeNotional: t.size, foreignNotional: Math.round(t.size * t.price * 100) / 100, trdType: "Regular",
  };
}

function quoteRow(symbol: string, q: SimQuote) {
  return {
    timestamp: new Date(q.ts).toISOString(), symbol,
    bidSize: contracts(symbol, q.bidSize, q.bid), bidPrice: q.bid, askPrice: q.ask, askSize: contracts(symbol, q.askSize, q.ask),
  };
}

/**
 * Bitmex realtime API at `/realtime` (`?subscribe=trade:XBTUSD,quote:XBTUSD`
 * or `{op:"subscribe",args:[…]}`): welcome info, a success line and a
 * `partial` per subscription, then `insert`s (trades grouped per step, as
 * Bitmex does); the text "ping" is answered "pong".
 */
export function serveBitmex(conn: SimSocket, ctx: SimContext, query: URLSearchParams): void {
  const active = new Map<string, () => void>();
  conn.onClose(() => {
    for (const off of active.values()) off();
    active.clear();
  });
  conn.sendJson({
    info: "Welcome to the BitMEX Realtime API.", version: "2.0.0-sim", timestamp: new Date().toISOString(),
    docs: "https://www.bitmex.com/app/wsAPI", limit: { remaining: 39 },
  });

  const subscribe = (arg: string, request: unknown): void => {
    const [table, symbol] = arg.split(":") as [string, string | undefined];
    if ((table !== "trade" && table !== "quote") || !symbol) {
      conn.sendJson({ status: 400, error: `Unknown or unsupported subscription: ${arg}`, meta: {}, request });
      return;
    }
    if (active.has(arg)) return;
    let off: (() => void) | undefined;
    if (table === "trade") {
      off = ctx.markets.onTrades("bitmex", symbol, (_s, trades) => {
        const data = trades.map((t) => bitmexTradeRow(symbol, t, ctx.idBase));
        if (conn.sendJson({ table: "trade", action: "insert", data })) conn.counters.tradesSent += data.length;
      });
    } else {
      off = ctx.markets.onQuotes("bitmex", symbol, (_s, q) => {
        if (conn.sendJson({ table: "quote", action: "insert", data: [quoteRow(symbol, q)] })) conn.counters.quotesSent++;
      });
    }
    if (!off) {
      conn.sendJson({ status: 400, error: `Unknown symbol: ${symbol}`, meta: {}, request });
      return;
    }
    active.set(arg, off);
    conn.sendJson({ success: true, subscribe: arg, request });
    // The partial is the table's image: empty for trades here; the latest quote for quotes.
    const latest = table === "quote" ? ctx.markets.latestQuote("bitmex", symbol) : undefined;
    conn.sendJson({
      table, action: "partial", keys: table === "quote" ? ["symbol"] : [], types: table === "quote" ? QUOTE_TYPES : TRADE_TYPES,
      filter: { symbol }, data: latest ? [quoteRow(symbol, latest)] : [],
    });
  };

  for (const arg of (query.get("subscribe") ?? "").split(",").filter(Boolean)) subscribe(arg, { op: "subscribe", args: [arg] });

  conn.onMessage((raw) => {
    const text = String(raw);
    if (text === "ping") {
      conn.send("pong");
      return;
    }
    let request: { op?: unknown; args?: unknown };
    try {
      request = JSON.parse(text);
    } catch {
      conn.sendJson({ status: 400, error: "Unable to parse request.", meta: {}, request: text });
      return;
    }
    const args = Array.isArray(request.args) ? request.args.map(String) : typeof request.args === "string" ? [request.args] : [];
    if (request.op === "subscribe") for (const arg of args) subscribe(arg, request);
    else if (request.op === "unsubscribe") {
      for (const arg of args) {
        active.get(arg)?.();
        active.delete(arg);
        conn.sendJson({ success: true, unsubscribe: arg, request });
      }
    } else conn.sendJson({ status: 400, error: "Unknown or expired command.", meta: {}, request });
  });
}
