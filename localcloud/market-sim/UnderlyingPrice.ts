import { createHash } from "node:crypto";

// Rough USD levels so that a simulated market looks plausible; unknown assets get a seeded level.
const USD_PRICE: Readonly<Record<string, number>> = {
  BTC: 98_000, ETH: 3_500, SOL: 210, BNB: 650, XRP: 2.3, ADA: 0.9, DOGE: 0.38, AVAX: 40, DOT: 7.5, LINK: 22, LTC: 95, TRX: 0.2,
  USDT: 1, USDC: 1, USD: 1, FDUSD: 1, BUSD: 1, TUSD: 1, DAI: 1, EUR: 1.05,
};
const STABLE = new Set(["USDT", "USDC", "USD", "FDUSD", "BUSD", "TUSD", "DAI"]);

// Cell lengths of the noise levels: 1 s × 4^j, up to about 3 days.
const LEVELS = 10;
const BASE_CELL_MS = 1000;

/** 32-bit integer hash (murmur3's finaliser) of two words: fast, and the same on every machine. */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A standard-normal-ish value (sum of four uniforms, rescaled) for a cell of a level. */
function cellValue(key: number, level: number, cell: number): number {
  let s = 0;
  let h = mix(key + level * 0x632be5ab, cell | 0);
  h = mix(h, Math.floor(cell / 0x1_0000_0000));
  for (let i = 0; i < 4; i++) {
    h = mix(h, i);
    s += h / 0x1_0000_0000;
  }
  return (s - 2) * Math.sqrt(3);
}

/**
 * One underlying price path per asset, in USD, as a function of absolute time:
 * multi-scale value noise (cells of 1 s to ~3 days, amplitudes growing with the
 * square root of the cell, as a random walk's do) around the asset's level. Every
 * exchange prices a pair from the same paths, so venues stay within their few
 * basis points of each other; and since the path is defined for any instant, past
 * or future, two simulators with one seed agree, and history can be priced too.
 */
export class UnderlyingPrice {
  private readonly keys = new Map<string, number>();
  private readonly amplitudes: number[];

  /** `volatility`: standard deviation of the log price over one second (a random walk's √t scaling). */
  constructor(
    private readonly seed: string | number,
    volatility: number,
  ) {
    this.amplitudes = Array.from({ length: LEVELS }, (_, j) => (volatility * Math.sqrt((BASE_CELL_MS * 4 ** j) / 1000)) / Math.SQRT2);
  }

  private key(asset: string): number {
    let k = this.keys.get(asset);
    if (k === undefined) {
      k = createHash("sha256").update(`${this.seed}\u0000underlying\u0000${asset}`).digest().readUInt32LE(0);
      this.keys.set(asset, k);
    }
    return k;
  }

  /** The asset's level in USD (seeded for assets without a listed level). */
  level(asset: string): number {
    return USD_PRICE[asset] ?? 1 + (this.key(asset) % 100);
  }

  /** The asset's USD price at `ts`; stablecoins are 1. */
  usd(asset: string, ts: number): number {
    if (STABLE.has(asset)) return this.level(asset);
    const key = this.key(asset);
    let log = 0;
    for (let j = 0; j < LEVELS; j++) {
      const cellMs = BASE_CELL_MS * 4 ** j;
      const x = ts / cellMs;
      const cell = Math.floor(x);
      const f = x - cell;
      const smooth = f * f * (3 - 2 * f);
      const a = cellValue(key, j, cell);
      const b = cellValue(key, j, cell + 1);
      log += this.amplitudes[j]! * (a + (b - a) * smooth);
    }
    return this.level(asset) * Math.exp(log);
  }

  /** Price of `base` in `quote` at `ts`. */
  price(base: string, quote: string, ts: number): number {
    return this.usd(base, ts) / this.usd(quote, ts);
  }
}
