// Lookup structures over a coin list, built once per list: one regex for the
// case-insensitive names, one for the word-like names (matched as written),
// and maps from ticker / name / sign to the coin.
import type { Coin } from "./coinList.ts";

export interface CoinIndex {
  byTicker: Map<string, Coin>;
  /** Lower-cased name → coin. */
  byName: Map<string, Coin>;
  /** Word-like name as written → coin. */
  byWordName: Map<string, Coin>;
  bySign: Map<string, Coin>;
  /** Case-insensitive names on word boundaries (null when the list has none). */
  names: RegExp | null;
  /** Word-like names, case-sensitive, on word boundaries. */
  wordNames: RegExp | null;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function alternation(words: string[], flags: string): RegExp | null {
  if (words.length === 0) return null;
  // Longest first, so "Bitcoin Cash" wins over "Bitcoin" at the same position.
  const sorted = [...words].sort((a, b) => b.length - a.length).map(escape);
  return new RegExp(`(?<![A-Za-z0-9])(?:${sorted.join("|")})(?![A-Za-z0-9])`, flags);
}

const cache = new WeakMap<readonly Coin[], CoinIndex>();

export function coinIndex(coins: readonly Coin[]): CoinIndex {
  const cached = cache.get(coins);
  if (cached) return cached;
  const index: CoinIndex = { byTicker: new Map(), byName: new Map(), byWordName: new Map(), bySign: new Map(), names: null, wordNames: null };
  for (const coin of coins) {
    for (const t of coin.tickers) index.byTicker.set(t, coin);
    for (const n of coin.names) index.byName.set(n.toLowerCase(), coin);
    for (const n of coin.wordNames) index.byWordName.set(n, coin);
    for (const s of coin.signs) index.bySign.set(s, coin);
  }
  index.names = alternation([...coins.flatMap((c) => c.names)], "gi");
  index.wordNames = alternation([...coins.flatMap((c) => c.wordNames)], "g");
  cache.set(coins, index);
  return index;
}
