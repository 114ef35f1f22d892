import { normaliseSymbol } from "../../contracts/symbols.ts";
import type { SimMarkets } from "../../lib/market/exchanges/simulation.ts";
import type { SimExchange } from "./exchangeSymbols.ts";
import { MarketStream, type SimQuote, type SimTrade, type StreamParams } from "./MarketStream.ts";
import { UnderlyingPrice } from "./UnderlyingPrice.ts";

export type TradeListener = (stream: MarketStream, trades: SimTrade[]) => void;
export type QuoteListener = (stream: MarketStream, quote: SimQuote) => void;

interface Entry {
  stream: MarketStream;
  trades: Set<TradeListener>;
  quotes: Set<QuoteListener>;
  /** Trades still to be made but not sent (an injected id gap). */
  withhold: number;
}

/**
 * The simulated markets, one per exchange+symbol, started on first
 * subscription (so a seed reproduces the sequence a collector sees) and kept
 * running afterwards like a real market. `step` is driven by the server's timer.
 */
export class MarketHub implements SimMarkets {
  private readonly entries = new Map<string, Entry>();
  private readonly taps = new Set<TradeListener>();
  tradesGenerated = 0;
  /** Trades made but never sent on any socket (injected gaps), per exchange. */
  readonly tradesWithheld: Record<string, number> = {};
  readonly underlying: UnderlyingPrice;

  constructor(
    private readonly seed: string | number,
    private readonly params: StreamParams,
    private readonly maxTradesPerStep: number,
    /** Log-price standard deviation over one second of each asset's underlying path. */
    volatility: number,
  ) {
    this.underlying = new UnderlyingPrice(seed, volatility);
  }

  /**
   * The next `count` trades of the exchange's streams (one symbol, or each) are
   * made (ids used, kept for REST) but not sent on any socket: an id gap.
   */
  withhold(exchange: SimExchange, count: number, symbol?: string): void {
    for (const entry of this.entries.values()) {
      if (entry.stream.exchange === exchange && (symbol === undefined || entry.stream.symbol === symbol)) entry.withhold += count;
    }
  }

  /** Trades made so far per exchange+symbol (`exchange:symbol`). */
  generatedBy(): Record<string, number> {
    return Object.fromEntries([...this.entries].map(([key, e]) => [key, e.stream.tradesEmitted]));
  }

  /** Undefined when the symbol is not a pair the simulator can price. */
  ensure(exchange: SimExchange, symbol: string, now = Date.now()): MarketStream | undefined {
    const key = `${exchange}:${symbol}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const pair = normaliseSymbol(symbol);
      if (!pair) return undefined;
      entry = { stream: new MarketStream(this.seed, exchange, symbol, pair.base, pair.quote, this.params, this.underlying, now), trades: new Set(), quotes: new Set(), withhold: 0 };
      this.entries.set(key, entry);
    }
    return entry.stream;
  }

  streams(exchange: SimExchange): MarketStream[] {
    return [...this.entries.values()].filter((e) => e.stream.exchange === exchange).map((e) => e.stream);
  }

  onTrades(exchange: SimExchange, symbol: string, listener: TradeListener): (() => void) | undefined {
    if (!this.ensure(exchange, symbol)) return undefined;
    const entry = this.entries.get(`${exchange}:${symbol}`)!;
    entry.trades.add(listener);
    return () => entry.trades.delete(listener);
  }

  onQuotes(exchange: SimExchange, symbol: string, listener: QuoteListener): (() => void) | undefined {
    if (!this.ensure(exchange, symbol)) return undefined;
    const entry = this.entries.get(`${exchange}:${symbol}`)!;
    entry.quotes.add(listener);
    return () => entry.quotes.delete(listener);
  }

  /** Every trade of every market, subscribed or not (the klines history records them). */
  onAnyTrades(listener: TradeListener): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  latestQuote(exchange: SimExchange, symbol: string): SimQuote | undefined {
    return this.entries.get(`${exchange}:${symbol}`)?.stream.latestQuote;
  }

  /** `paused`: the trades due now are skipped (see MarketSimulatorOptions.pauseAboveBufferedBytes); quotes go on. */
  step(now = Date.now(), paused = false): void {
    for (const entry of this.entries.values()) {
      const { trades, quotes } = entry.stream.advance(now, paused ? 0 : this.maxTradesPerStep);
      this.tradesGenerated += trades.length;
      // Taps (the klines history) see every trade made, withheld ones too: the exchange's own record has them.
      if (trades.length > 0) for (const listener of this.taps) listener(entry.stream, trades);
      let sent = trades;
      if (entry.withhold > 0 && trades.length > 0) {
        const n = Math.min(entry.withhold, trades.length);
        entry.withhold -= n;
        this.tradesWithheld[entry.stream.exchange] = (this.tradesWithheld[entry.stream.exchange] ?? 0) + n;
        sent = trades.slice(n);
      }
      if (sent.length > 0) for (const listener of entry.trades) listener(entry.stream, sent);
      for (const quote of quotes) for (const listener of entry.quotes) listener(entry.stream, quote);
    }
  }
}
