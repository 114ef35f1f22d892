import type { SimContext, SimSocket } from "../simulation.ts";

export interface KucoinTokens {
  /** token → expiry (ms since the epoch). */
  issued: Map<string, number>;
  rejected: number;
  pingTimeouts: number;
}

/**
 * Kucoin spot websocket after the bullet-public call: the token is checked at
 * connect (an unknown or expired one gets `{type:"error",code:401}` and a
 * close, as Kucoin does), then `welcome`; `subscribe` (acked when
 * `response:true`), `unsubscribe`, `ping` → `pong`. A client silent for longer
 * than pingInterval + pingTimeout is disconnected, so collectors must ping.
 * Topics: `/market/ticker:all`, `/market/ticker:<symbols>`, `/market/match:<symbols>`.
 */
export function serveKucoin(
  conn: SimSocket,
  ctx: SimContext,
  query: URLSearchParams,
  tokens: KucoinTokens,
  timing: { pingIntervalMs: number; pingTimeoutMs: number },
): void {
  const connectId = query.get("connectId") ?? "sim";
  const token = query.get("token") ?? "";
  const expiry = tokens.issued.get(token);
  if (expiry === undefined || expiry <= Date.now()) {
    tokens.rejected++;
    conn.sendJson({ id: connectId, type: "error", code: 401, data: "token is expired" });
    conn.close(1008, "token is expired");
    return;
  }
  conn.sendJson({ id: connectId, type: "welcome" });

  let lastHeard = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - lastHeard > timing.pingIntervalMs + timing.pingTimeoutMs) {
      tokens.pingTimeouts++;
      conn.close(1000, "ping timeout");
    }
  }, Math.max(50, Math.min(1000, timing.pingIntervalMs / 4)));
  conn.onClose(() => clearInterval(watchdog));

  const active = new Map<string, Array<() => void>>();
  conn.onClose(() => {
    for (const offs of active.values()) for (const off of offs) off();
    active.clear();
  });
  let quoteSequence = 0;

  const subscribe = (topic: string): boolean => {
    if (active.has(topic)) return true;
    const offs: Array<() => void> = [];
    const [channel, list = ""] = topic.split(":") as [string, string | undefined];
    const symbols = list === "all" ? ctx.symbols.kucoin : list.split(",").filter(Boolean);
    if (symbols.length === 0) return false;
    for (const symbol of symbols) {
      let off: (() => void) | undefined;
      if (channel === "/market/ticker") {
        off = ctx.markets.onQuotes("kucoin", symbol, (stream, q) => {
          const data = {
            bestAsk: String(q.ask), bestAskSize: String(q.askSize), bestBid: String(q.bid), bestBidSize: String(q.bidSize),
            price: String(q.last), sequence: String(++quoteSequence), size: String(stream.lastSize), time: q.ts,
          };
          const message = list === "all" ? { type: "message", topic, subject: symbol, data } : { type: "message", topic, subject: "trade.ticker", data };
          if (conn.sendJson(message)) conn.counters.quotesSent++;
        });
      } else if (channel === "/market/match") {
        off = ctx.markets.onTrades("kucoin", symbol, (_s, trades) => {
          for (const t of trades) {
            // sequence: consecutive per symbol (what gap detection reads); tradeId: an opaque hex id, as Kucoin's.
            const data = {
              makerOrderId: t.entropy.slice(0, 24), price: String(t.price), sequence: String(ctx.idBase + t.seq), side: t.side, size: String(t.size), symbol,
              takerOrderId: t.entropy.slice(8, 32), time: `${t.ts}000000`, tradeId: t.entropy.slice(4, 28), type: "match",
            };
            if (conn.sendJson({ type: "message", topic: `/market/match:${symbol}`, subject: "trade.l3match", data })) conn.counters.tradesSent++;
          }
        });
      }
      if (!off) {
        for (const o of offs) o();
        return false;
      }
      offs.push(off);
    }
    active.set(topic, offs);
    return true;
  };

  conn.onMessage((raw) => {
    lastHeard = Date.now();
    let request: { id?: unknown; type?: unknown; topic?: unknown; response?: unknown };
    try {
      request = JSON.parse(String(raw));
    } catch {
      conn.sendJson({ id: "", type: "error", code: 400, data: "message is not JSON" });
      return;
    }
    const id = String(request.id ?? "");
    if (request.type === "ping") {
      conn.sendJson({ id, type: "pong", timestamp: Date.now() * 1000 });
    } else if (request.type === "subscribe" && typeof request.topic === "string") {
      if (!subscribe(request.topic)) conn.sendJson({ id, type: "error", code: 404, data: `topic ${request.topic} is not supported` });
      else if (request.response === true) conn.sendJson({ id, type: "ack" });
    } else if (request.type === "unsubscribe" && typeof request.topic === "string") {
      for (const off of active.get(request.topic) ?? []) off();
      active.delete(request.topic);
      if (request.response === true) conn.sendJson({ id, type: "ack" });
    } else {
      conn.sendJson({ id, type: "error", code: 400, data: "unknown message type" });
    }
  });
}
