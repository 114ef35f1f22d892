// Filtered-stream rules from the followed coins' keywords. X matches keywords
// case-insensitively and bills every post it delivers, so the rules are a
// narrow pre-filter and the collector still applies the coin-mention rules:
//   - a cashtag keyword ($ETH) becomes X's cashtag operator;
//   - a ticker that is an ordinary word (LINK, ONE, DOT) is asked for only as
//     its cashtag: "link" alone would bring every post with a link in it;
//   - a name of several words is a quoted phrase ("Shiba Inu");
//   - signs (₿, Ξ) are left out (X's keyword tokenizer does not match a lone symbol);
//   - retweets are excluded (-is:retweet): they repeat a post's text, quotes are kept.
// Terms of several coins share a rule, up to the rule length the access level allows.
import type { Coin } from "../../../nlp/coins/coinList.ts";
import { ConfigError } from "../../../config/ConfigError.ts";
import type { SocialKeywords } from "../../keywords/socialKeywords.ts";

export interface XRule {
  value: string;
  tag: string;
}

/** Rules this collector owns carry this tag prefix; other rules of the project are left alone. */
export const X_RULE_TAG_PREFIX = "cryptoviz-social:";
const SUFFIX = " -is:retweet";

const CASHTAG = /^\$[A-Za-z][A-Za-z0-9]*$/;
const isSign = (k: string) => [...k].length === 1 && !/[A-Za-z0-9]/.test(k);

/** The X terms for one coin's keywords, in the order given, without repeats. */
export function xTermsFor(keywords: readonly string[], coin: Coin | undefined): string[] {
  const terms: string[] = [];
  const add = (t: string) => {
    if (!terms.some((x) => x.toLowerCase() === t.toLowerCase())) terms.push(t);
  };
  for (const k of keywords) {
    if (isSign(k)) continue;
    if (CASHTAG.test(k)) add(k);
    else if (coin?.ambiguousTickers.has(k)) add(`$${k}`);
    else if (/\s/.test(k)) add(`"${k.replaceAll('"', "")}"`);
    else add(k);
  }
  return terms;
}

/**
 * Packs every followed coin's terms into rules of at most `maxChars`
 * characters: `(t1 OR t2 OR …) -is:retweet`. Refuses (naming the setting) a
 * keyword set that needs more than `maxRules` rules.
 */
export function buildXRules(keywords: SocialKeywords, limits: { maxChars: number; maxRules: number }): XRule[] {
  const bySymbol = new Map(keywords.coins.map((c) => [c.symbol, c]));
  const terms = keywords.followed.flatMap((f) => xTermsFor(f.keywords, bySymbol.get(f.symbol)));
  const budget = limits.maxChars - SUFFIX.length - 2; // the parentheses
  const values: string[] = [];
  let current: string[] = [];
  const close = () => {
    if (current.length > 0) values.push(`(${current.join(" OR ")})${SUFFIX}`);
    current = [];
  };
  for (const term of terms) {
    if (term.length > budget) throw new ConfigError("SOCIAL_X_RULE_MAX_CHARS", `the keyword ${term} alone is longer than a rule may be (${limits.maxChars} characters)`);
    const length = [...current, term].join(" OR ").length;
    if (length > budget) close();
    current.push(term);
  }
  close();
  if (values.length > limits.maxRules) {
    throw new ConfigError("SOCIAL_X_MAX_RULES", `the followed coins' keywords need ${values.length} rules of at most ${limits.maxChars} characters, more than the ${limits.maxRules} allowed: follow fewer coins (SOCIAL_COINS) or raise the limits to your access level`);
  }
  return values.map((value, i) => ({ value, tag: `${X_RULE_TAG_PREFIX}${i + 1}` }));
}
