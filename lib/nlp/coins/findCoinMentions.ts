// Every place a text refers to a coin, with the kind of evidence. Deciding
// which mentions count (an ambiguous ticker needs support elsewhere in the
// article) is tagCoins' job; this only reads one piece of text.
import { isShouting, isTitleCase } from "../text/casing.ts";
import { roughSentences, spanAt, type Span } from "../text/roughSentences.ts";
import type { CoinIndex } from "./coinIndex.ts";
import type { Coin } from "./coinList.ts";

export type MentionKind =
  /** $LINK, LINK/USDT, LINKUSDT, "(LINK)", "LINK token", "500,000 LINK". */
  | "strong"
  /** A coin name (Chainlink), or a word-like name with coin context (Avalanche network). */
  | "name"
  /** An unambiguous ticker written in capitals (BTC). */
  | "ticker"
  /** A word-like name capitalised mid-sentence (… on Polygon). */
  | "wordName"
  /** An ambiguous ticker written in capitals with no context (LINK): counts only if the coin is otherwise evidenced. */
  | "ambiguousTicker";

export interface CoinMention {
  symbol: string;
  kind: MentionKind;
  start: number;
  end: number;
}

// Quote currencies of trading pairs: LINK/USDT, LINK-USD, LINKUSDT, XBTUSD.
const QUOTES = ["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "PERP", "USD", "EUR", "GBP", "JPY", "KRW", "TRY", "BRL", "AUD", "DAI", "BTC", "ETH", "BNB"];
const QUOTE_SET = new Set(QUOTES);

// Words that, right after a ticker or word-like name, say "this is the coin".
const CONTEXT_AFTER =
  /^(?:'s\s+|’s\s+)?\s*(?:tokens?|coins?|prices?|holders?|staking|stakers?|futures|perps?|perpetuals?|options|ETFs?|network|blockchain|protocol|ecosystem|mainnet|chain|whales?|supply|market cap|DAO|treasury|airdrops?|unlocks?|dominance|validators?|wallets?|balances?|deposits?|withdrawals?|inflows?|outflows?|pair|rall(?:y|ied|ies)|rose|fell|jumped|surged|slid|dropped|climbed|gained|tumbled|soared|plunged|sank|added|lost|traded|spiked|rebounded|slumped)\b/i;
// What an organisation does in the news, right after a word-like name: "Ripple
// wins against SEC", "Polygon launches…". The word alone proves nothing at a
// sentence start ("Harmony returned to the market"); a company's verb does.
const ACTOR_AFTER =
  /^\s+(?:wins|won|sues|sued|settles|settled|appeals|appealed|files|filed|announces|announced|launches|launched|unveils|unveiled|partners|partnered|acquires|acquired|secures|secured|raises|hires|hired|v\.|vs\.?)(?![A-Za-z])/;
// … or right before it: "price of LINK", "bought LINK", "500,000 LINK".
const CONTEXT_BEFORE = /(?:price of|holders of|buy|bought|buying|sell|sold|selling|staked|stake|\d[\d,.]*\s*(?:k|m|bn|thousand|million|billion)?)\s+$/i;

const TOKEN = /(?<![A-Za-z0-9$])(\$?)([A-Za-z0-9]{1,16})(?![A-Za-z0-9])/g;
const CAPS = /^[A-Z0-9]*[A-Z][A-Z0-9]*$/;

/** Scans one text (a title or a body) for coin mentions; overlaps resolved, longest first. */
export function findCoinMentions(text: string, index: CoinIndex): CoinMention[] {
  const sentences = roughSentences(text);
  const flags = new Map<Span, { titleCase: boolean; shouting: boolean }>();
  const casing = (offset: number) => {
    const span = spanAt(sentences, offset);
    if (!span) return { titleCase: false, shouting: false };
    let f = flags.get(span);
    if (!f) {
      const s = text.slice(span.start, span.end);
      f = { titleCase: isTitleCase(s), shouting: isShouting(s) };
      flags.set(span, f);
    }
    return f;
  };
  const sentenceInitial = (offset: number) => {
    const span = spanAt(sentences, offset);
    return !span || /^["'“‘(\s]*$/.test(text.slice(span.start, offset));
  };
  const contextAround = (start: number, end: number) =>
    CONTEXT_AFTER.test(text.slice(end, end + 40)) || CONTEXT_BEFORE.test(text.slice(Math.max(0, start - 24), start));

  const found: CoinMention[] = [];

  if (index.names) {
    for (const m of text.matchAll(index.names)) {
      const coin = index.byName.get(m[0].toLowerCase());
      if (coin) found.push({ symbol: coin.symbol, kind: "name", start: m.index, end: m.index + m[0].length });
    }
  }

  if (index.wordNames) {
    for (const m of text.matchAll(index.wordNames)) {
      const coin = index.byWordName.get(m[0]);
      if (!coin) continue;
      const start = m.index;
      const end = start + m[0].length;
      const { titleCase, shouting } = casing(start);
      if (shouting) continue;
      if (CONTEXT_AFTER.test(text.slice(end, end + 40)) || ACTOR_AFTER.test(text.slice(end, end + 20))) {
        found.push({ symbol: coin.symbol, kind: "name", start, end });
        continue;
      }
      // A capital proves nothing at the start of a sentence or in a Title Case
      // headline; for a multi-word name ("The Graph") the later capitals do.
      const multiWord = m[0].includes(" ");
      if (titleCase || (!multiWord && sentenceInitial(start))) continue;
      found.push({ symbol: coin.symbol, kind: "wordName", start, end });
    }
  }

  for (const [sign, coin] of index.bySign) {
    for (let at = text.indexOf(sign); at >= 0; at = text.indexOf(sign, at + sign.length)) {
      found.push({ symbol: coin.symbol, kind: "name", start: at, end: at + sign.length });
    }
  }

  for (const m of text.matchAll(TOKEN)) {
    const cashtag = m[1] === "$";
    const word = m[2]!;
    const start = m.index;
    let end = start + m[0].length;

    if (cashtag) {
      const coin = /^[A-Za-z]/.test(word) ? index.byTicker.get(word.toUpperCase()) : undefined;
      if (coin) found.push({ symbol: coin.symbol, kind: "strong", start, end });
      continue;
    }
    if (!CAPS.test(word)) continue;

    let coin = index.byTicker.get(word);
    // A separated pair: LINK/USDT, LINK-USD. Only the base is what the text is about.
    if (coin && (text[end] === "/" || text[end] === "-")) {
      const quote = /^[A-Z]{2,6}(?![A-Za-z0-9])/.exec(text.slice(end + 1, end + 8))?.[0];
      if (quote && QUOTE_SET.has(quote)) {
        found.push({ symbol: coin.symbol, kind: "strong", start, end: end + 1 + quote.length });
        continue;
      }
    }
    // A concatenated pair: LINKUSDT, XBTUSD.
    if (!coin) {
      const base = pairBase(word, index);
      if (base) found.push({ symbol: base.symbol, kind: "strong", start, end });
      continue;
    }
    // In SHOUTED text every word is in capitals, so neither a ticker nor the
    // words around it prove anything there.
    const shouting = casing(start).shouting;
    // The coin's own name right before its ticker ("Harmony ONE bridge",
    // "Polkadot DOT"): one mention, and strong evidence, even where the name
    // alone would prove nothing (a sentence start, a Title Case headline).
    const named = shouting ? undefined : nameBefore(text, start, coin);
    if (named !== undefined) {
      found.push({ symbol: coin.symbol, kind: "strong", start: named, end });
      continue;
    }
    if ((text[start - 1] === "(" && text[end] === ")") || (!shouting && contextAround(start, end))) {
      found.push({ symbol: coin.symbol, kind: "strong", start, end });
      continue;
    }
    const ambiguous = coin.ambiguousTickers.has(word) || shouting;
    found.push({ symbol: coin.symbol, kind: ambiguous ? "ambiguousTicker" : "ticker", start, end });
  }

  const mentions = mergeNameAndTicker(text, resolveOverlaps(found));
  listedTickers(text, mentions, (offset) => casing(offset).shouting);
  return mentions;
}

/** Where the coin's name ends right before `at` (one space apart), or undefined. */
function nameBefore(text: string, at: number, coin: Coin): number | undefined {
  const before = text.slice(Math.max(0, at - 48), at);
  for (const name of [...coin.names, ...coin.wordNames]) {
    const m = new RegExp(`(?<![A-Za-z0-9])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s$`, "i").exec(before);
    if (m) return at - before.length + m.index;
  }
  return undefined;
}

// Between two items of a list: "SOL, AVAX and DOT" (not "/": that is a pair).
const LIST_GAP = /^(?:\s*,\s*(?:and\s+|&\s+|or\s+)?|\s+(?:and|&|or)\s+)$/;

/**
 * An ambiguous ticker in a list with at least two tickers that need no
 * evidence ("SOL, AVAX and DOT lead altcoin rally") is read as one of them:
 * such a list is the crypto context. One other ticker is not enough ("BTC and
 * ONE other coin"), ambiguous tickers alone are not ("ONE and LINK"), and
 * SHOUTED text proves nothing.
 */
function listedTickers(text: string, mentions: CoinMention[], shouting: (offset: number) => boolean): void {
  const isTicker = (m: CoinMention) => /^\$?[A-Z0-9]+$/.test(text.slice(m.start, m.end));
  // (XRP is a name as well as a ticker: any evidenced mention written as a ticker anchors.)
  const anchor = (m: CoinMention) => m.kind !== "ambiguousTicker" && m.kind !== "wordName" && isTicker(m);
  for (let i = 0; i < mentions.length; ) {
    // The list starting at i: mentions joined by list separators.
    let j = i + 1;
    while (j < mentions.length && LIST_GAP.test(text.slice(mentions[j - 1]!.end, mentions[j]!.start))) j++;
    const list = mentions.slice(i, j);
    if (list.filter(anchor).length >= 2) {
      for (const m of list) if (m.kind === "ambiguousTicker" && isTicker(m) && !shouting(m.start)) m.kind = "ticker";
    }
    i = j;
  }
}

/** The base coin of a concatenated trading pair ("LINKUSDT" → Chainlink), if the word is one. */
export function pairBase(word: string, index: CoinIndex): Coin | undefined {
  for (const q of QUOTES) {
    if (word.length > q.length && word.endsWith(q)) {
      const base = index.byTicker.get(word.slice(0, -q.length));
      if (base) return base;
    }
  }
  return undefined;
}

const STRENGTH: Record<MentionKind, number> = { strong: 4, name: 3, ticker: 2, wordName: 1, ambiguousTicker: 0 };

/** Keeps the longest (then strongest) of overlapping mentions. */
function resolveOverlaps(mentions: CoinMention[]): CoinMention[] {
  mentions.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || STRENGTH[b.kind] - STRENGTH[a.kind]);
  const kept: CoinMention[] = [];
  let reach = -1;
  for (const m of mentions) {
    if (m.start < reach) continue;
    kept.push(m);
    reach = m.end;
  }
  return kept;
}

/** "Chainlink (LINK)" is one mention, and strong evidence. */
function mergeNameAndTicker(text: string, mentions: CoinMention[]): CoinMention[] {
  const out: CoinMention[] = [];
  for (const m of mentions) {
    const prev = out[out.length - 1];
    if (prev && prev.symbol === m.symbol && /^\s*\(\s*$/.test(text.slice(prev.end, m.start)) && text[m.end] === ")") {
      out[out.length - 1] = { symbol: m.symbol, kind: "strong", start: prev.start, end: m.end + 1 };
      continue;
    }
    out.push(m);
  }
  return out;
}
