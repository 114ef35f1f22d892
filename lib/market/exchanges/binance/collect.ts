import { parseBinance, BINANCE } from "./parse.ts";
import type { ExchangeProtocol } from "../ExchangeProtocol.ts";

/**
 * Binance spot: one `/ws` connection, SUBSCRIBE to `<symbol>@trade` per symbol,
 * `<symbol>@bookTicker` (best bid/ask: the quotes /price/current answers from)
 * and optionally `!miniTicker@arr`. The server pings with websocket frames;
 * the `ws` client answers them itself, so no application ping is needed.
 */
export function binanceProtocol(baseUrl: string, symbols: readonly string[], miniTicker: boolean, bookTicker = true): ExchangeProtocol {
  return {
    exchange: BINANCE,
    parse: parseBinance,
    resolve: async () => ({ url: `${baseUrl}/ws` }),
    subscriptions: () => [
      JSON.stringify({
        method: "SUBSCRIBE",
        params: [
          ...symbols.map((s) => `${s.toLowerCase()}@trade`),
          ...(bookTicker ? symbols.map((s) => `${s.toLowerCase()}@bookTicker`) : []),
          ...(miniTicker ? ["!miniTicker@arr"] : []),
        ],
        id: 1,
      }),
    ],
  };
}
