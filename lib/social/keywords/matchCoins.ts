// Which followed coins a post mentions. A post is read as news reads an
// article's body (lib/nlp/coins/tagCoins.ts): names case-insensitively, tickers
// only in capitals or as cashtags, ambiguous tickers (LINK, ONE, DOT…) only with
// evidence in the same post ($LINK, LINK/USDT, "LINK token", "Chainlink (LINK)").
import { coinIndex } from "../../nlp/coins/coinIndex.ts";
import { pairBase } from "../../nlp/coins/findCoinMentions.ts";
import { tagCoins } from "../../nlp/coins/tagCoins.ts";
import type { SocialKeywords } from "./socialKeywords.ts";

export type CoinMatcher = (text: string) => string[];

/**
 * Tickers, names and signs of every coin, lower-cased: a post holding none of
 * them cannot mention a coin, and most of the firehose is such posts, so the
 * full tagger runs only on the rest.
 */
function quickWords(keywords: SocialKeywords): { words: Set<string>; signs: string[] } {
  const words = new Set<string>();
  // Signs (₿) and any name not written in A–Z, 0–9 are looked for as substrings.
  const signs: string[] = [];
  for (const c of keywords.coins) {
    for (const t of c.tickers) words.add(t.toLowerCase());
    for (const n of [...c.names, ...c.wordNames]) {
      const first = n.toLowerCase().split(/\s+/)[0]!;
      if (/^[a-z0-9]+$/.test(first)) words.add(first);
      else signs.push(n, n.toLowerCase(), n.toUpperCase());
    }
    signs.push(...c.signs);
  }
  return { words, signs };
}

// Words as the tagger bounds them ((?<![A-Za-z0-9]) … (?![A-Za-z0-9])): "Bitcoinの価格" holds "Bitcoin".
const WORD = /[A-Za-z0-9]+/g;
const CAPS = /^[A-Z0-9]+$/;

export function coinMatcher(keywords: SocialKeywords): CoinMatcher {
  const followed = new Set(keywords.followed.map((c) => c.symbol));
  const { words, signs } = quickWords(keywords);
  const options = { coins: keywords.coins };
  const index = coinIndex(keywords.coins);
  return (text) => {
    let candidate = signs.some((s) => text.includes(s));
    if (!candidate) {
      for (const m of text.matchAll(WORD)) {
        // A concatenated pair (LINKUSDT) is written in capitals only.
        if (words.has(m[0].toLowerCase()) || (m[0].length > 4 && CAPS.test(m[0]) && pairBase(m[0], index))) {
          candidate = true;
          break;
        }
      }
    }
    if (!candidate) return [];
    return tagCoins(text, options).map((t) => t.symbol).filter((s) => followed.has(s));
  };
}
