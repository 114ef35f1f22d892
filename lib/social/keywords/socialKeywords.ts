// Which coins the social collector follows, and by which words: the keyword
// file (socialKeywords.json, or SOCIAL_KEYWORDS_FILE), narrowed or extended by
// SOCIAL_COINS. Keywords become a coin list in the news tagger's own terms
// (tickers, names, word names, signs), so a post is matched by exactly the
// coin-mention rules news uses: ambiguous tickers need evidence.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../../config/ConfigError.ts";
import { envOptional, type Env } from "../../config/readEnv.ts";
import { defaultCoinList, type Coin } from "../../nlp/coins/coinList.ts";
import shippedKeywords from "./socialKeywords.json" with { type: "json" };

const SYMBOL = /^[A-Z0-9]{1,15}$/;
const CASHTAG = /^\$([A-Z][A-Z0-9]{0,14})$/;
const TICKER = /^[A-Z0-9]*[A-Z][A-Z0-9]*$/;
// As the coin list reads aliases: one character that is not A–Z or 0–9 (₿, Ξ).
const isSign = (k: string) => [...k].length === 1 && !/[A-Za-z0-9\s]/.test(k);

const keyword = z.string().trim().min(1).max(64);
const coinKeywords = z.union([
  z.array(keyword).min(1),
  z.strictObject({
    keywords: z.array(keyword).min(1),
    /** Upper-case keywords that are also ordinary words (they count only with evidence, like LINK in news). */
    ambiguous: z.array(keyword).optional(),
    /** Names that are ordinary words (they count only capitalised mid-sentence, like Avalanche). */
    wordNames: z.array(keyword).optional(),
  }),
]);
const keywordFileSchema = z.strictObject({
  $comment: z.string().optional(),
  coins: z.record(z.string().regex(SYMBOL, "must be an upper-case coin symbol such as BTC"), coinKeywords),
});

/** One followed coin and the words it is found by. */
export interface FollowedCoin {
  symbol: string;
  /** As configured: cashtags (`$ETH`), tickers (`ETH`), names (`Ethereum`), signs (`Ξ`). */
  keywords: string[];
}

export interface SocialKeywords {
  /** Where the keywords came from, for the logs. */
  source: string;
  followed: FollowedCoin[];
  /**
   * The coin list the matcher runs on: every coin the tagger knows (so "Bitcoin
   * Cash" stays BCH even when only BTC is followed), each followed coin rebuilt
   * from its keywords.
   */
  coins: Coin[];
}

type CoinSpec = z.infer<typeof coinKeywords>;

/** A followed coin's entry in the tagger's terms; a keyword the shipped list knows keeps its kind there. */
function coinFromKeywords(symbol: string, spec: CoinSpec, base: Coin | undefined): Coin {
  const keywords = Array.isArray(spec) ? spec : spec.keywords;
  const extraAmbiguous = new Set(Array.isArray(spec) ? [] : (spec.ambiguous ?? []));
  const extraWordNames = new Set(Array.isArray(spec) ? [] : (spec.wordNames ?? []));
  const baseNames = new Set([...(base?.names ?? []), ...(base?.wordNames ?? [])].map((n) => n.toLowerCase()));
  const tickers: string[] = [];
  const names: string[] = [];
  const wordNames: string[] = [];
  const signs: string[] = [];
  const add = <T>(list: T[], v: T) => {
    if (!list.includes(v)) list.push(v);
  };
  for (const k of keywords) {
    const cashtag = CASHTAG.exec(k)?.[1];
    if (cashtag) add(tickers, cashtag); // a cashtag is its ticker's strongest form
    else if (isSign(k)) add(signs, k);
    else if (base?.wordNames.includes(k) || extraWordNames.has(k)) add(wordNames, k);
    else if (baseNames.has(k.toLowerCase())) add(names, k); // XRP, BNB: names in the shipped list, matched in any case
    else if (TICKER.test(k) && !k.includes(" ")) add(tickers, k);
    else add(names, k);
  }
  const ambiguous = new Set<string>();
  for (const t of tickers) if (base?.ambiguousTickers.has(t) || extraAmbiguous.has(t)) ambiguous.add(t);
  return { symbol, name: base?.name ?? names[0] ?? symbol, tickers, ambiguousTickers: ambiguous, names, wordNames, signs };
}

/** Builds the matcher's coin list; `where` names the file in errors. */
export function buildSocialKeywords(raw: unknown, where: string, only?: readonly string[]): SocialKeywords {
  const parsed = keywordFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError("SOCIAL_KEYWORDS_FILE", `${where}: ${issue.path.join(".") || "(root)"} ${issue.message}`);
  }
  const base = new Map(defaultCoinList().map((c) => [c.symbol, c]));
  const specs = new Map<string, CoinSpec>(Object.entries(parsed.data.coins));
  // SOCIAL_COINS: these coins only; one the file does not list gets the shipped coin list's words.
  const symbols = only ?? [...specs.keys()];
  for (const symbol of symbols) {
    if (specs.has(symbol)) continue;
    const coin = base.get(symbol);
    if (!coin) throw new ConfigError("SOCIAL_COINS", `"${symbol}" is neither in ${where} nor in lib/nlp/coins/coins.json`);
    specs.set(symbol, [...coin.tickers.map((t) => `$${t}`), ...coin.tickers, ...coin.names, ...coin.wordNames, ...coin.signs]);
  }
  const followed: FollowedCoin[] = symbols.map((symbol) => {
    const spec = specs.get(symbol)!;
    return { symbol, keywords: Array.isArray(spec) ? [...spec] : [...spec.keywords] };
  });
  const rebuilt = new Map(symbols.map((s) => [s, coinFromKeywords(s, specs.get(s)!, base.get(s))]));
  const coins = [...[...base.values()].map((c) => rebuilt.get(c.symbol) ?? c), ...[...rebuilt.values()].filter((c) => !base.has(c.symbol))];
  checkUnique(coins, where);
  return { source: where, followed, coins };
}

/** A word may belong to one coin only, or a post could not be told apart. */
function checkUnique(coins: readonly Coin[], where: string): void {
  const owners = new Map<string, string>();
  for (const c of coins) {
    const claims = [...c.tickers.map((t) => `ticker ${t}`), ...[...c.names, ...c.wordNames].map((n) => `name ${n.toLowerCase()}`), ...c.signs.map((s) => `sign ${s}`)];
    for (const claim of new Set(claims)) {
      const previous = owners.get(claim);
      if (previous !== undefined && previous !== c.symbol) throw new ConfigError("SOCIAL_KEYWORDS_FILE", `${where}: ${claim} is claimed by both ${previous} and ${c.symbol}`);
      owners.set(claim, c.symbol);
    }
  }
}

/**
 * The keywords from the environment: SOCIAL_KEYWORDS_FILE (a JSON file of the
 * same shape as lib/social/keywords/socialKeywords.json; default: that file) and
 * SOCIAL_COINS (comma-separated symbols: follow only these).
 */
export function readSocialKeywords(env: Env = process.env): SocialKeywords {
  const file = envOptional(env, "SOCIAL_KEYWORDS_FILE");
  let raw: unknown = shippedKeywords;
  if (file !== undefined) {
    try {
      raw = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new ConfigError("SOCIAL_KEYWORDS_FILE", `cannot read ${file}: ${(error as Error).message}`);
    }
  }
  const coinsVar = envOptional(env, "SOCIAL_COINS");
  let only: string[] | undefined;
  if (coinsVar !== undefined) {
    only = [...new Set(coinsVar.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean))];
    if (only.length === 0) throw new ConfigError("SOCIAL_COINS", "must list at least one coin symbol");
    const bad = only.find((s) => !SYMBOL.test(s));
    if (bad) throw new ConfigError("SOCIAL_COINS", `"${bad}" is not a coin symbol (A–Z, 0–9)`);
  }
  return buildSocialKeywords(raw, file ?? "lib/social/keywords/socialKeywords.json", only);
}
