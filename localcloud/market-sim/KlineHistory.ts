// The simulator's 1-minute candles, as the exchanges' klines endpoints serve them.
// From the minute a market started on, they are the market's own trades, minute by
// minute (recorded as they are made). Before it, history is the venue's mid price
// path itself (the underlying price of absolute time times its standing basis,
// MarketStream.mid) sampled through each minute: the path the live trades follow, so
// history meets the live price without a jump, every venue's history of a pair has the
// same shape, a page asked twice is the same page, and a restarted simulator serves the
// same history again.
import { Prng } from "./prng.ts";
import { roundPrice, type SimTrade } from "./MarketStream.ts";

export interface SimKline {
  /** Start of the minute, epoch ms. */
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Base asset. */
  volume: number;
  /** Quote asset (Σ price × size). */
  quoteVolume: number;
  trades: number;
  /** Taker-buy base volume (Binance reports it). */
  buyVolume: number;
}

/** What a market exposes to its history: when it started, its price path, how busy it is. */
export interface KlineMarket {
  readonly startedAt: number;
  /** The venue's mid price at an instant, past ones included. */
  mid(ts: number): number;
  readonly params: { readonly tradesPerSecond: number; readonly notional: number };
}

const MINUTE = 60_000;
/** Samples of the price path in a historical minute, for its high and low. */
const SAMPLES_PER_MINUTE = 12;
/** How far back history goes. */
export const HISTORY_LIMIT_MS = 7 * 86_400_000;
/** Recorded live minutes kept (as far back as history goes). */
const RECORDED_MINUTES = HISTORY_LIMIT_MS / MINUTE;

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

export class KlineHistory {
  readonly #recorded = new Map<number, SimKline>();
  readonly #startMinute: number;

  constructor(
    private readonly seed: string | number,
    private readonly base: string,
    private readonly quote: string,
    private readonly market: KlineMarket,
  ) {
    this.#startMinute = Math.floor(market.startedAt / MINUTE) * MINUTE;
  }

  /** Called with every batch of trades the market makes. */
  record(trades: readonly SimTrade[]): void {
    for (const t of trades) {
      const minute = Math.floor(t.ts / MINUTE) * MINUTE;
      let k = this.#recorded.get(minute);
      if (k === undefined) {
        this.#recorded.set(minute, (k = { openTime: minute, open: t.price, high: t.price, low: t.price, close: t.price, volume: 0, quoteVolume: 0, trades: 0, buyVolume: 0 }));
        if (this.#recorded.size > RECORDED_MINUTES) this.#recorded.delete(this.#recorded.keys().next().value as number);
      }
      if (t.price > k.high) k.high = t.price;
      if (t.price < k.low) k.low = t.price;
      k.close = t.price;
      k.volume += t.size;
      k.quoteVolume += t.size * t.price;
      k.trades++;
      if (t.side === "buy") k.buyVolume += t.size;
    }
  }

  /** The 1m klines whose minute starts in [from, to), oldest first; the current minute as far as it went. */
  klines(from: number, to: number, now = Date.now()): SimKline[] {
    const out: SimKline[] = [];
    const first = Math.max(Math.ceil(from / MINUTE) * MINUTE, Math.floor((now - HISTORY_LIMIT_MS) / MINUTE) * MINUTE);
    for (let m = first; m < to && m <= now; m += MINUTE) {
      const k = m < this.#startMinute ? this.#historical(m) : this.#recorded.get(m);
      if (k !== undefined) out.push(m < this.#startMinute ? k : { ...k, volume: round6(k.volume), quoteVolume: round6(k.quoteVolume), buyVolume: round6(k.buyVolume) });
    }
    return out;
  }

  #historical(minute: number): SimKline {
    const open = this.market.mid(minute);
    const close = this.market.mid(minute + MINUTE - 1);
    let high = Math.max(open, close);
    let low = Math.min(open, close);
    for (let i = 1; i < SAMPLES_PER_MINUTE; i++) {
      const price = this.market.mid(minute + (i * MINUTE) / SAMPLES_PER_MINUTE);
      if (price > high) high = price;
      if (price < low) low = price;
    }
    const p = new Prng(this.seed, "kline-shape", this.base, this.quote, minute);
    const trades = Math.max(1, Math.round(this.market.params.tradesPerSecond * 60 * (0.5 + p.next())));
    const mid = (open + close) / 2;
    const volume = round6((trades * this.market.params.notional) / mid);
    return {
      openTime: minute,
      open: roundPrice(open),
      high: roundPrice(high),
      low: roundPrice(low),
      close: roundPrice(close),
      volume,
      quoteVolume: round6(volume * roundPrice((open + high + low + close) / 4)),
      trades,
      buyVolume: round6(volume * (0.3 + 0.4 * p.next())),
    };
  }
}
