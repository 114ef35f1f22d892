import type { MarketHub } from "./MarketHub.ts";
import type { SimExchange } from "./exchangeSymbols.ts";

/** What the protocol handlers share with the server. */
export interface SimContext {
  hub: MarketHub;
  /** Configured pairs per exchange, in the exchange's spelling: what `!miniTicker@arr` and `ticker:all` cover. */
  symbols: Record<SimExchange, string[]>;
  /** Added to every counter-based trade id, so two simulator runs do not reuse ids (see `runId`). */
  idBase: number;
}
