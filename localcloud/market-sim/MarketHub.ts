import { normaliseSymbol } from "../../lib/market/exchanges/normaliseSymbol.ts";
import type { SimMarkets } from "../../lib/market/exchanges/simulation.ts";
import type { SimExchange } from "./exchangeSymbols.ts";
import { MarketStream, type SimQuote, type SimTrade, type StreamParams } from "./MarketStream.ts";

export type TradeListener = (stream: MarketStream, trades: SimTrade[]) => void;
export type QuoteListener = (stream: MarketStream, quote: SimQuote) => void;

interface Entry {
  stream: MarketStream;
  trades: Set<TradeListener>;
  quotes: Set<QuoteListener>;
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

  constructor(
    private readonly seed: string | number,
    private readonly params: StreamParams,
    private readonly maxTradesPerStep: number,
  ) {}

  /** Undefined when the symbol is not a pair the simulator can price. */
  ensure(exchange: SimExchange, symbol: string, now = Date.now()): MarketStream | undefined {
    const key = `${exchange}:${symbol}`;
    let entry = this.entries.get(key);
    if (!entry) {
      const pair = normaliseSymbol(symbol);
      if (!pair) return undefined;
      entry = { stream: new MarketStream(this.seed, exchange, symbol, pair.base, pair.quote, this.params, now), trades: new Set(), quotes: new Set() };
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
      if (trades.length > 0) for (const listener of this.taps) listener(entry.stream, trades);
      if (trades.length > 0) for (const listener of entry.trades) listener(entry.stream, trades);
      for (const quote of quotes) for (const listener of entry.quotes) listener(entry.stream, quote);
    }
  }
}
