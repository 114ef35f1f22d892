// What an exchange's simulated side (exchanges/<name>/simulate.ts) may use of the
// local market simulator (localcloud/market-sim/), which implements these: so each
// exchange's protocol lives in one folder, its collector, parser and simulator
// side together, and the simulator's core knows no exchange's message format.

export type SimulatedExchange = "binance" | "kucoin" | "bitmex";

/** One simulated fill, as a market stream produces it. */
export interface SimTrade {
  /** 0, 1, 2… per stream: exchanges derive their trade ids from it. */
  readonly seq: number;
  readonly price: number;
  /** Base-asset amount. */
  readonly size: number;
  /** The taker's side. */
  readonly side: "buy" | "sell";
  readonly ts: number;
  /** Deterministic random hex (32 digits) for ids that are not counters (Bitmex trdMatchID, Kucoin order ids). */
  readonly entropy: string;
}

export interface SimQuote {
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  last: number;
  ts: number;
}

/** One exchange+symbol market as its protocol reads it. */
export interface SimStream {
  readonly symbol: string;
  readonly lastPrice: number;
  readonly lastSize: number;
  readonly day: { open: number; high: number; low: number; volume: number; quoteVolume: number };
  /** Seq of the oldest trade kept for REST, and of the next one to be made. */
  readonly historyRange: { first: number; next: number };
  /** Up to `limit` kept trades from seq `from` on, oldest first (from the oldest kept when `from` is older). */
  tradesFrom(from: number, limit: number): SimTrade[];
  /** The `limit` most recent trades, oldest first. */
  latestTrades(limit: number): SimTrade[];
  /** Kept trades with `fromTs <= ts <= toTs`, oldest first. */
  tradesBetween(fromTs: number, toTs: number): SimTrade[];
}

export interface SimMarkets {
  /** Starts a market on first use; undefined when the symbol is not a pair the simulator can price. */
  ensure(exchange: SimulatedExchange, symbol: string): SimStream | undefined;
  streams(exchange: SimulatedExchange): SimStream[];
  /** Subscribes to a market's trades; returns the unsubscribe, or undefined for an unknown symbol. */
  onTrades(exchange: SimulatedExchange, symbol: string, listener: (stream: SimStream, trades: SimTrade[]) => void): (() => void) | undefined;
  onQuotes(exchange: SimulatedExchange, symbol: string, listener: (stream: SimStream, quote: SimQuote) => void): (() => void) | undefined;
  latestQuote(exchange: SimulatedExchange, symbol: string): SimQuote | undefined;
}

/** One REST answer of a simulated exchange. */
export interface SimRestAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * One REST route of a simulated exchange (`exchanges/<name>/simulateRest.ts`),
 * mounted by the simulator's server under `/<exchange><path>`. `weight` is what
 * the exchange's rate limit counts for the call, as its documentation states.
 */
export interface SimRestRoute {
  method: "GET" | "POST";
  path: string;
  weight(query: URLSearchParams): number;
  answer(query: URLSearchParams, ctx: SimContext): SimRestAnswer;
}

export interface SimCounters {
  tradesSent: number;
  quotesSent: number;
  ticksSent: number;
}

/** One client's websocket, as the simulator hands it to a protocol. */
export interface SimSocket {
  readonly counters: SimCounters;
  /** Sends one JSON message; false when the client is gone or was cut off for reading too slowly. */
  sendJson(message: unknown): boolean;
  send(text: string): boolean;
  onClose(cleanup: (() => void) | undefined): void;
  onMessage(listener: (text: string) => void): void;
  close(code: number, reason: string): void;
}

/** What the protocol handlers share with the simulator's server. */
export interface SimContext {
  markets: SimMarkets;
  /** Configured pairs per exchange, in the exchange's spelling: what `!miniTicker@arr` and `ticker:all` cover. */
  symbols: Record<SimulatedExchange, string[]>;
  /** Added to every counter-based trade id, so two simulator runs do not reuse ids. */
  idBase: number;
}
