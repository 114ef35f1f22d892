// The maintained coin list (coins.json), validated when it is loaded so that a
// bad edit (a duplicate ticker, an alias claimed by two coins, a typo in a field
// name) fails loudly with the entry at fault instead of silently mis-tagging.
import rawCoins from "./coins.json" with { type: "json" };

/** One coin as written in coins.json. */
export interface CoinEntry {
  /** Canonical ticker, `A–Z0–9` only: the `<TAG>` of `cryptoviz/sentiment/<TAG>/…`. */
  symbol: string;
  /** Display name; matched case-insensitively on word boundaries unless listed in `wordNames`. */
  name: string;
  /** Other names (matched like `name`), other tickers (all upper case, e.g. XBT, MATIC) and signs (one symbol character, e.g. ₿). */
  aliases?: string[];
  /** Tickers (the symbol or ticker aliases) that are ordinary words or acronyms: they count only with evidence. */
  ambiguousTickers?: string[];
  /** Names (the name or name aliases) that are ordinary words: they count only capitalised, mid-sentence. */
  wordNames?: string[];
}

/** A validated coin with its aliases sorted by kind. */
export interface Coin {
  symbol: string;
  name: string;
  /** Every ticker, the symbol first. */
  tickers: string[];
  ambiguousTickers: Set<string>;
  /** Names matched case-insensitively. */
  names: string[];
  /** Names matched only as written, capitalised and not at the start of a sentence. */
  wordNames: string[];
  /** Single-character signs (₿, Ξ). */
  signs: string[];
}

export class CoinListError extends Error {
  override name = "CoinListError";
}

const SYMBOL = /^[A-Z0-9]{1,12}$/;
const FIELDS = new Set(["symbol", "name", "aliases", "ambiguousTickers", "wordNames"]);

const isTicker = (alias: string) => SYMBOL.test(alias) && /[A-Z]/.test(alias);
const isSign = (alias: string) => [...alias].length === 1 && !/[A-Za-z0-9]/.test(alias);

/** Validates a coin list (the parsed JSON); throws a CoinListError naming the entry at fault. */
export function parseCoinList(raw: unknown, source = "coins.json"): Coin[] {
  if (!Array.isArray(raw)) throw new CoinListError(`${source}: expected an array of coins`);
  const coins: Coin[] = [];
  // Who claimed each ticker / name / sign first, for the duplicate message.
  const owners = new Map<string, string>();
  raw.forEach((entry: unknown, i) => {
    let where = `${source}[${i}]`;
    const fail = (reason: string): never => {
      throw new CoinListError(`${where}: ${reason}`);
    };
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) fail("expected an object");
    const e = entry as Record<string, unknown>;
    if (typeof e.symbol === "string" && e.symbol) where += ` (${e.symbol})`;
    for (const key of Object.keys(e)) if (!FIELDS.has(key)) fail(`unknown field "${key}"`);
    if (typeof e.symbol !== "string" || !SYMBOL.test(e.symbol)) fail(`symbol must be 1–12 characters A–Z0–9, got ${JSON.stringify(e.symbol)}`);
    if (typeof e.name !== "string" || e.name.trim() === "") fail("empty name");
    const strings = (field: string): string[] => {
      const v = e[field];
      if (v === undefined) return [];
      if (!Array.isArray(v)) fail(`${field} must be an array of strings`);
      for (const s of v as unknown[]) if (typeof s !== "string" || s.trim() === "" || s !== s.trim()) fail(`${field} has an empty or untrimmed entry ${JSON.stringify(s)}`);
      return v as string[];
    };
    const symbol = e.symbol as string;
    const name = e.name as string;
    if (name !== name.trim()) fail(`name ${JSON.stringify(name)} has surrounding spaces`);
    const aliases = strings("aliases");
    const tickers = [symbol, ...aliases.filter(isTicker)];
    const signs = aliases.filter(isSign);
    const allNames = [name, ...aliases.filter((a) => !isTicker(a) && !isSign(a))];
    const ambiguous = strings("ambiguousTickers");
    const wordNames = strings("wordNames");
    for (const t of ambiguous) if (!tickers.includes(t)) fail(`ambiguous ticker "${t}" is not one of its tickers (${tickers.join(", ")})`);
    for (const w of wordNames) if (!allNames.includes(w)) fail(`word name "${w}" is not one of its names (${allNames.join(", ")})`);

    const claim = (key: string, label: string) => {
      const previous = owners.get(key);
      if (previous !== undefined) fail(`duplicate ${label} (already used by ${previous})`);
      owners.set(key, where);
    };
    for (const t of tickers) claim(`ticker:${t}`, `ticker "${t}"`);
    for (const n of allNames) claim(`name:${n.toLowerCase()}`, `name "${n}"`);
    for (const s of signs) claim(`sign:${s}`, `sign "${s}"`);

    coins.push({
      symbol,
      name,
      tickers,
      ambiguousTickers: new Set(ambiguous),
      names: allNames.filter((n) => !wordNames.includes(n)),
      wordNames,
      signs,
    });
  });
  return coins;
}

let defaultList: Coin[] | undefined;

/** The shipped coin list, validated once per process. */
export function defaultCoinList(): Coin[] {
  defaultList ??= parseCoinList(rawCoins, "lib/nlp/coins/coins.json");
  return defaultList;
}
