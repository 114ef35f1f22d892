/** An exchange symbol split into its normalised assets. */
export interface SymbolPair {
  base: string;
  quote: string;
}

// Exchanges spell some assets differently; the store uses one name per asset.
const ASSET_ALIASES: Readonly<Record<string, string>> = { XBT: "BTC" };

// Symbols no rule can split: listed, so the mapping is explicit and tested.
const EXPLICIT: Readonly<Record<string, SymbolPair>> = {
  XBTUSD: { base: "BTC", quote: "USD" }, // Bitmex inverse perpetual
  ETHUSD: { base: "ETH", quote: "USD" },
  XBTUSDTM: { base: "BTC", quote: "USDT" }, // Kucoin futures linear perpetual
  ETHUSDTM: { base: "ETH", quote: "USDT" },
  XBTUSDM: { base: "BTC", quote: "USD" }, // Kucoin futures inverse perpetual
};

// Quote assets recognised at the end of a concatenated symbol, longest first
// so that BTCFDUSD is FDUSD and not USD.
const QUOTE_SUFFIXES = ["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "DAI", "USD", "EUR", "GBP", "TRY", "BRL", "BTC", "ETH", "BNB", "XBT"];

const ASSET = /^[A-Z0-9]{1,20}$/;

const alias = (asset: string) => ASSET_ALIASES[asset] ?? asset;

function pair(base: string, quote: string): SymbolPair | undefined {
  const b = alias(base);
  const q = alias(quote);
  return ASSET.test(b) && ASSET.test(q) && b !== q ? { base: b, quote: q } : undefined;
}

/**
 * `BTCUSDT` (Binance), `BTC-USDT` (Kucoin spot), `XBTUSD` (Bitmex),
 * `ETHUSDTM` (Kucoin futures) → base/quote with XBT read as BTC. Undefined
 * when the symbol cannot be split (the caller counts it as malformed).
 */
export function normaliseSymbol(symbol: string): SymbolPair | undefined {
  // Called for every trade: the answer per symbol never changes, so it is remembered
  // (bounded, since a malformed feed could invent symbols without end).
  const known = cache.get(symbol);
  if (known !== undefined || cache.has(symbol)) return known;
  const pair = split(symbol);
  if (cache.size >= 10_000) cache.clear();
  cache.set(symbol, pair);
  return pair;
}

const cache = new Map<string, SymbolPair | undefined>();

function split(symbol: string): SymbolPair | undefined {
  const upper = symbol.trim().toUpperCase();
  const explicit = EXPLICIT[upper];
  if (explicit) return explicit;
  const parts = upper.split(/[-_/]/);
  if (parts.length === 2) return pair(parts[0]!, parts[1]!);
  if (parts.length > 2) return undefined;
  // Kucoin futures perpetuals end in M (XRPUSDTM): strip it when what remains splits.
  const candidates = upper.endsWith("M") ? [upper, upper.slice(0, -1)] : [upper];
  for (const candidate of candidates) {
    for (const suffix of QUOTE_SUFFIXES) {
      if (candidate.length > suffix.length && candidate.endsWith(suffix)) {
        const found = pair(candidate.slice(0, -suffix.length), suffix);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/** The store's symbol is exchange-independent (BTCUSDT for BTCUSDT, BTC-USDT and XBTUSD alike). */
export const storeSymbol = (base: string, quote: string): string => `${base}${quote}`;
