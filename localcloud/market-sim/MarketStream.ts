import type { SimQuote, SimStream, SimTrade } from "../../lib/market/exchanges/simulation.ts";
import { Prng } from "./prng.ts";

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
  /** Per-trade log-return standard deviation. */
  volatility: number;
  spreadBps: number;
  /** Mean notional of a trade in the quote asset. */
  notional: number;
}

// Rough USD levels so that a simulated market looks plausible; unknown assets get a seeded level.
const USD_PRICE: Readonly<Record<string, number>> = {
  BTC: 98_000, ETH: 3_500, SOL: 210, BNB: 650, XRP: 2.3, ADA: 0.9, DOGE: 0.38, AVAX: 40, DOT: 7.5, LINK: 22, LTC: 95, TRX: 0.2,
  USDT: 1, USDC: 1, USD: 1, FDUSD: 1, BUSD: 1, TUSD: 1, DAI: 1, EUR: 1.05,
};

export function initialPrice(base: string, quote: string, prng: Prng): number {
  const usd = (asset: string) => USD_PRICE[asset] ?? 1 + Math.floor(prng.next() * 100);
  return usd(base) / usd(quote);
}

/** Rounds to a tick size that keeps ~7 significant digits. */
export function roundPrice(price: number): number {
  const decimals = Math.min(10, Math.max(2, 6 - Math.floor(Math.log10(price))));
  const f = 10 ** decimals;
  return Math.round(price * f) / f;
}

/**
 * One exchange+symbol market: a geometric random walk of the mid price, a
 * bid/ask spread around it, trades at the touch with log-normal sizes and
 * random sides. Everything but the timestamps is a function of the seed.
 */
export class MarketStream implements SimStream {
  private readonly prng: Prng;
  // Quotes draw from their own generator: how many quotes fall between two trades
  // depends on the clock, and must not shift the seeded trade sequence.
  private readonly quotePrng: Prng;
  private mid: number;
  private seq = 0;
  /** Trades the rate asked for but a stalled loop could not produce in time: skipped, not queued up. */
  skipped = 0;
  private quotesEmitted = 0;
  private last: number;
  readonly startedAt: number;
  /** Rolling stats since the stream started (for 24h-style tickers). */
  readonly day: { open: number; high: number; low: number; volume: number; quoteVolume: number };

  constructor(
    seed: string | number,
    readonly exchange: string,
    readonly symbol: string,
    base: string,
    quote: string,
    readonly params: StreamParams,
    now: number,
  ) {
    this.prng = new Prng(seed, exchange, symbol);
    this.quotePrng = new Prng(seed, exchange, symbol, "quotes");
    this.mid = initialPrice(base, quote, this.prng);
    this.last = roundPrice(this.mid);
    this.startedAt = now;
    this.day = { open: this.last, high: this.last, low: this.last, volume: 0, quoteVolume: 0 };
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

  private quote(ts: number): SimQuote {
    const half = (this.mid * this.params.spreadBps) / 2 / 10_000;
    const bid = roundPrice(this.mid - half);
    let ask = roundPrice(this.mid + half);
    if (ask <= bid) ask = roundPrice(bid * 1.000001);
    const depth = this.params.notional / this.mid;
    return { bid, ask, bidSize: round6(depth * (1 + 4 * this.quotePrng.next())), askSize: round6(depth * (1 + 4 * this.quotePrng.next())), last: this.last, ts };
  }

  private trade(ts: number): SimTrade {
    this.mid *= Math.exp(this.params.volatility * this.prng.normal());
    const side = this.prng.next() < 0.5 ? "buy" : "sell";
    const half = (this.mid * this.params.spreadBps) / 2 / 10_000;
    const price = roundPrice(side === "buy" ? this.mid + half : this.mid - half);
    const size = Math.max(0.000001, round6((this.params.notional / this.mid) * Math.exp(0.8 * this.prng.normal() - 0.32)));
    this.last = price;
    this.lastSize = size;
    this.day.high = Math.max(this.day.high, price);
    this.day.low = Math.min(this.day.low, price);
    this.day.volume += size;
    this.day.quoteVolume += size * price;
    const p = this.prng;
    return new GeneratedTrade(this.seq++, price, size, side, ts, p.u32(), p.u32(), p.u32(), p.u32());
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

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
