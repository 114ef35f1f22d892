import type { SimulatedExchange } from "../../lib/market/exchanges/simulation.ts";

export type SimExchange = SimulatedExchange;
export const SIM_EXCHANGES: readonly SimExchange[] = ["binance", "kucoin", "bitmex"];

/** `BTC-USDT` → the exchange's own spelling: BTCUSDT, BTC-USDT, XBTUSDT (Bitmex says XBT). */
export function exchangeSymbol(exchange: SimExchange, pair: string): string {
  const [base, quote] = pair.toUpperCase().split("-") as [string, string];
  if (exchange === "binance") return `${base}${quote}`;
  if (exchange === "kucoin") return `${base}-${quote}`;
  const xbt = (a: string) => (a === "BTC" ? "XBT" : a);
  return `${xbt(base)}${xbt(quote)}`;
}
