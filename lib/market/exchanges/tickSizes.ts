// Price steps (tick sizes) of the symbols the collectors know, as the exchanges
// publish them: Binance `GET /api/v3/exchangeInfo` (PRICE_FILTER.tickSize), Kucoin
// `GET /api/v2/symbols` (priceIncrement), BitMEX `GET /api/v1/instrument` (tickSize).
// Only symbols whose step is known are listed; a reader falls back to a precision
// from the price's magnitude for the others (dashboard/src/format.ts).
import { normaliseSymbol } from "../../../contracts/symbols.ts";

/** Exchange → its own symbol spelling → smallest price step. */
export const TICK_SIZES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  binance: { BTCUSDT: 0.01, ETHUSDT: 0.01, SOLUSDT: 0.01, BNBUSDT: 0.01, XRPUSDT: 0.0001, ADAUSDT: 0.0001, DOGEUSDT: 0.00001 },
  kucoin: { "BTC-USDT": 0.1, "ETH-USDT": 0.01 },
  bitmex: { XBTUSD: 0.1, ETHUSD: 0.05 },
};

/** Store symbol (BTCUSDT, BTCUSD) → the finest step among the exchanges that list it. */
const BY_STORE_SYMBOL: ReadonlyMap<string, number> = (() => {
  const out = new Map<string, number>();
  for (const symbols of Object.values(TICK_SIZES)) {
    for (const [symbol, tick] of Object.entries(symbols)) {
      const pair = normaliseSymbol(symbol);
      if (!pair) continue;
      const key = `${pair.base}${pair.quote}`;
      out.set(key, Math.min(out.get(key) ?? Infinity, tick));
    }
  }
  return out;
})();

/**
 * The price step of a store symbol across exchanges, undefined when unknown. The
 * finest one: the cross-exchange (`all`) series carries prices from every exchange,
 * and a coarser step would round some of them.
 */
export function tickSizeOf(storeSymbol: string): number | undefined {
  return BY_STORE_SYMBOL.get(storeSymbol);
}
