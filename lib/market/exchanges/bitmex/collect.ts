import { parseBitmex, BITMEX } from "./parse.ts";
import type { ExchangeProtocol } from "../ExchangeProtocol.ts";

/** Bitmex realtime: subscribe to `trade:<symbol>` and `quote:<symbol>`; send "ping" when quiet (Bitmex asks for one within 5 s of silence). */
export function bitmexProtocol(baseUrl: string, symbols: readonly string[]): ExchangeProtocol {
  return {
    exchange: BITMEX,
    parse: parseBitmex,
    resolve: async () => ({ url: `${baseUrl}/realtime` }),
    subscriptions: () => [JSON.stringify({ op: "subscribe", args: symbols.flatMap((s) => [`trade:${s}`, `quote:${s}`]) })],
    ping: { message: () => "ping", intervalMs: 5000 },
  };
}
