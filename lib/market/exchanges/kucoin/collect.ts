import { randomUUID } from "node:crypto";
import { parseKucoin, KUCOIN } from "./parse.ts";
import { ExchangeRefusedError, readDetail, REFUSAL_STATUSES } from "../ExchangeRefusal.ts";
import type { Endpoint, ExchangeProtocol } from "../ExchangeProtocol.ts";

/** The bullet call failed or answered something unusable. */
export class KucoinBulletError extends Error {
  override readonly name = "KucoinBulletError";
}

interface BulletResponse {
  code?: string;
  msg?: string;
  data?: { token?: string; instanceServers?: Array<{ endpoint?: string; pingInterval?: number; pingTimeout?: number; protocol?: string }> };
}

// Kucoin accepts at most 100 symbols per topic.
const TOPIC_SYMBOLS = 100;

/** `POST /api/v1/bullet-public` → a websocket URL carrying a fresh token, and the server's ping timing. */
export async function requestKucoinBullet(restUrl: string, signal: AbortSignal, onToken?: () => void): Promise<Endpoint> {
  const response = await fetch(`${restUrl}/api/v1/bullet-public`, { method: "POST", signal: AbortSignal.any([signal, AbortSignal.timeout(10_000)]) });
  if (REFUSAL_STATUSES.has(response.status)) {
    const detail = response.body ? await readDetail(response.body).catch(() => "") : "";
    throw new ExchangeRefusedError({ exchange: KUCOIN, status: response.status, url: response.url || `${restUrl}/api/v1/bullet-public`, detail });
  }
  if (!response.ok) throw new KucoinBulletError(`bullet-public answered HTTP ${response.status}`);
  const body = (await response.json()) as BulletResponse;
  const server = body.data?.instanceServers?.find((s) => !s.protocol || s.protocol === "websocket");
  if (body.code !== "200000" || !body.data?.token || !server?.endpoint) {
    throw new KucoinBulletError(`bullet-public answered code ${body.code ?? "?"}: ${body.msg ?? "no token or instance server"}`);
  }
  onToken?.();
  const url = new URL(server.endpoint);
  url.searchParams.set("token", body.data.token);
  url.searchParams.set("connectId", randomUUID());
  return {
    url: url.toString(),
    ...(server.pingInterval ? { pingIntervalMs: server.pingInterval } : {}),
    ...(server.pingTimeout ? { pingTimeoutMs: server.pingTimeout } : {}),
  };
}

/**
 * Kucoin spot: a bullet token per connection (refreshed on every reconnect),
 * quotes from `/market/ticker:all` (or `/market/ticker:<symbols>`), trades from
 * `/market/match:<symbols>`, `{type:"ping"}` at the server's pingInterval.
 */
export function kucoinProtocol(
  restUrl: string,
  symbols: readonly string[],
  tickerTopic: "all" | "symbols",
  onToken?: () => void,
): ExchangeProtocol {
  const chunks: string[][] = [];
  for (let i = 0; i < symbols.length; i += TOPIC_SYMBOLS) chunks.push(symbols.slice(i, i + TOPIC_SYMBOLS));
  let requestId = 0;
  const subscribe = (topic: string) => JSON.stringify({ id: String(++requestId), type: "subscribe", topic, privateChannel: false, response: true });
  return {
    exchange: KUCOIN,
    parse: parseKucoin,
    resolve: (signal) => requestKucoinBullet(restUrl, signal, onToken),
    subscriptions: () => [
      ...(tickerTopic === "all" ? [subscribe("/market/ticker:all")] : chunks.map((c) => subscribe(`/market/ticker:${c.join(",")}`))),
      ...chunks.map((c) => subscribe(`/market/match:${c.join(",")}`)),
    ],
    ping: { message: () => JSON.stringify({ id: String(Date.now()), type: "ping" }), intervalMs: 18_000 },
    // A token error ends the session (reconnect, new token); other errors (unknown topic) would not improve by reconnecting.
    isWelcome: (text) => text.includes('"type":"welcome"'),
    isFatal: (text) => text.includes('"type":"error"') && (/"code":\s*"?401/.test(text) || /token/i.test(text)),
  };
}
