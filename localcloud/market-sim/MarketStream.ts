import type { SimQuote, SimStream, SimTrade } from "../../lib/market/exchanges/simulation.ts";
import { Prng } from "./prng.ts";
import type { UnderlyingPrice } from "./UnderlyingPrice.ts";

export type { SimQuote, SimTrade };


/**
 * The entropy's four words are drawn with the trade (the seeded sequence does not depend on
 * which protocol reads it) but formatted only when read: Binance never does, and at tens of
 * thousands of trades a second the formatting was a tenth of the simulator's CPU.
 */
class GeneratedTrade implements SimTrade {
  private hex: string | undefined;
  constructor(
    readonly seq: number,
    readonly price: number,
    readonly size: number,
    readonly side: "buy" | "sell",
    readonly ts: number,
    private readonly w0: number,
    private readonly w1: number,
    private readonly w2: number,
    private readonly w3: number,
  ) {}

  get entropy(): string {
    return (this.hex ??= [this.w0, this.w1, this.w2, this.w3].map((w) => w.toString(16).padStart(8, "0")).join(""));
  }
}


export interface StreamParams {
  /** Trades per second on this exchange+symbol. */
  tradesPerSecond: number;
  quotesPerSecond: number;
  spreadBps: number;
  /** This venue's standing offset from the underlying price is drawn within ±basisBps. */
  basisBps: number;
  /** Standard deviation of each trade's own deviation from the venue's mid, in basis points. */
  noiseBps: number;
  /** Mean notional of a trade in the quote asset. */
  notional: number;
  /** Trades kept per stream for the REST history routes (oldest dropped first). */
  historyLimit: number;
  /** And none older than this, ms: at the demo's rate the count alone took an hour and a half to fill. */
  historyMs: number;
}

/** Rounds to a tick size that keeps ~7 significant digits. */
export function roundPrice(price: number): number {
  const decimals = Math.min(10, Math.max(2, 6 - Math.floor(Math.log10(price))));
  const f = 10 ** decimals;
  return Math.round(price * f) / f;
}

/**
 * One exchange+symbol market: its mid is the pair's underlying price (shared by
 * every venue, see UnderlyingPrice) times this venue's seeded standing basis; a
 * bid/ask spread around it; trades at the touch, each with a little noise of its
 * own, log-normal sizes and random sides. Ids, sizes and sides are a function of
 * the seed; prices also of the time (the underlying path is one of absolute time).
 * The last `historyLimit` trades, none older than `historyMs`, are kept for the REST routes.
 */
export class MarketStream implements SimStream {
  private readonly prng: Prng;
  // Quotes draw from their own generator: how many quotes fall between two trades
  // depends on the clock, and must not shift the seeded trade sequence.
  private readonly quotePrng: Prng;
  private readonly basis: number;
  private readonly level: number;
  private seq = 0;
  /** Trades the rate asked for but a stalled loop could not produce in time: skipped, not queued up. */
  skipped = 0;
  private quotesEmitted = 0;
  private last: number;
  readonly startedAt: number;
  /** Rolling stats since the stream started (for 24h-style tickers). */
  readonly day: { open: number; high: number; low: number; volume: number; quoteVolume: number };
  /** The kept trades, oldest first: history[i].seq === historyStart + i. */
  private history: SimTrade[] = [];
  private historyStart = 0;

  constructor(
    seed: string | number,
    readonly exchange: string,
    readonly symbol: string,
    readonly base: string,
    readonly quoteAsset: string,
    readonly params: StreamParams,
    private readonly underlying: UnderlyingPrice,
    now: number,
  ) {
    this.prng = new Prng(seed, exchange, symbol);
    this.quotePrng = new Prng(seed, exchange, symbol, "quotes");
    this.basis = ((2 * this.prng.next() - 1) * params.basisBps) / 10_000;
    this.level = underlying.level(base) / underlying.level(quoteAsset);
    this.last = roundPrice(this.mid(now));
    this.startedAt = now;
    this.day = { open: this.last, high: this.last, low: this.last, volume: 0, quoteVolume: 0 };
  }

  /** This venue's mid price at `ts`. */
  mid(ts: number): number {
    return this.underlying.price(this.base, this.quoteAsset, ts) * (1 + this.basis);
  }

  get tradesEmitted(): number {
    return this.seq;
  }

  get lastPrice(): number {
    return this.last;
  }

  /** Size of the last trade (Kucoin's ticker carries it). */
  lastSize = 0;

  /** The last quote emitted, if any (reading it does not move the seeded sequence). */
  latestQuote: SimQuote | undefined;

  /** Seq of the oldest trade still kept, and of the next one to be made. */
  get historyRange(): { first: number; next: number } {
    return { first: this.historyStart, next: this.seq };
  }

  /** Up to `limit` kept trades from seq `from` on, oldest first (from the oldest kept when `from` is older). */
  tradesFrom(from: number, limit: number): SimTrade[] {
    const i = Math.max(0, from - this.historyStart);
    return this.history.slice(i, i + Math.max(0, limit));
  }

  /** The `limit` most recent trades, oldest first. */
  latestTrades(limit: number): SimTrade[] {
    return this.history.slice(Math.max(0, this.history.length - limit));
  }

  /** Kept trades with `fromTs <= ts <= toTs`, oldest first. */
  tradesBetween(fromTs: number, toTs: number): SimTrade[] {
    const lo = lowerBound(this.history, fromTs);
    let hi = lo;
    while (hi < this.history.length && this.history[hi]!.ts <= toTs) hi++;
    return this.history.slice(lo, hi);
  }

  private quote(ts: number): SimQuote {
    const mid = this.mid(ts);
    const half = (mid * this.params.spreadBps) / 2 / 10_000;
    const bid = roundPrice(mid - half);
    let ask = roundPrice(mid + half);
    if (ask <= bid) ask = roundPrice(bid * 1.000001);
    const depth = this.params.notional / mid;
    return { bid, ask, bidSize: round6(depth * (1 + 4 * this.quotePrng.next())), askSize: round6(depth * (1 + 4 * this.quotePrng.next())), last: this.last, ts };
  }

  private trade(ts: number): SimTrade {
    const mid = this.mid(ts) * (1 + (this.params.noiseBps / 10_000) * this.prng.normal());
    const side = this.prng.next() < 0.5 ? "buy" : "sell";
    const half = (mid * this.params.spreadBps) / 2 / 10_000;
    const price = roundPrice(side === "buy" ? mid + half : mid - half);
    // Sized from the pair's level, not the moving mid, so sizes stay a function of the seed alone.
    const size = Math.max(0.000001, round6((this.params.notional / this.level) * Math.exp(0.8 * this.prng.normal() - 0.32)));
    this.last = price;
    this.lastSize = size;
    this.day.high = Math.max(this.day.high, price);
    this.day.low = Math.min(this.day.low, price);
    this.day.volume += size;
    this.day.quoteVolume += size * price;
    const p = this.prng;
    const trade = new GeneratedTrade(this.seq++, price, size, side, ts, p.u32(), p.u32(), p.u32(), p.u32());
    this.history.push(trade);
    // Dropped in chunks: one splice per tenth of the limit (or per 1,024 trades past the
    // age limit), not one shift per trade.
    if (this.history.length > this.params.historyLimit * 1.1) this.dropOldest(this.history.length - this.params.historyLimit);
    else if ((this.seq & 1023) === 0 && this.history[0]!.ts < ts - this.params.historyMs) this.dropOldest(lowerBound(this.history, ts - this.params.historyMs));
    return trade;
  }

  private dropOldest(n: number): void {
    this.history.splice(0, n);
    this.historyStart += n;
  }

  /**
   * Everything due by `now` at the configured rates. `maxTrades` bounds one
   * step so that a stalled event loop does not come back with a giant burst.
   */
  advance(now: number, maxTrades: number): { trades: SimTrade[]; quotes: SimQuote[] } {
    const elapsed = now - this.startedAt;
    let dueTrades = Math.floor((elapsed * this.params.tradesPerSecond) / 1000) - this.seq - this.skipped;
    if (dueTrades > maxTrades) {
      this.skipped += dueTrades - maxTrades;
      dueTrades = maxTrades;
    }
    const trades: SimTrade[] = [];
    for (let i = 0; i < dueTrades; i++) trades.push(this.trade(now));
    const quotes: SimQuote[] = [];
    const dueQuotes = Math.floor((elapsed * this.params.quotesPerSecond) / 1000) - this.quotesEmitted;
    if (dueQuotes > 0) {
      this.quotesEmitted += dueQuotes;
      this.latestQuote = this.quote(now); // only the latest matters: one per step
      quotes.push(this.latestQuote);
    }
    return { trades, quotes };
  }
}

/** First index whose trade is at or after `ts` (trades are in time order). */
function lowerBound(trades: readonly SimTrade[], ts: number): number {
  let lo = 0;
  let hi = trades.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (trades[m]!.ts < ts) lo = m + 1;
    else hi = m;
  }
  return lo;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
