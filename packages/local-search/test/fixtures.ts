// A deterministic dataset for search and aggregation contract tests, with the
// helpers the tests use to compute expected answers on their own.
import { seededRandom } from "./seededRandom.ts";

export const SYMBOLS = ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE"];
export const EXCHANGES = ["binance", "kucoin", "bitmex"];
export const TAGS = ["etf", "regulation", "defi", "mining", "hack", "macro"];
const WORDS = ["bitcoin", "ether", "rally", "crash", "market", "quick", "brown", "fox", "price", "etf", "approval", "whale", "miners", "exchange", "hack", "record", "high", "low", "fed", "rates"];

export interface Doc {
  seq: number;
  symbol: string;
  exchange: string;
  price?: number;
  qty: number;
  at: string;
  tags: string[];
  title?: string;
  summary: string;
}

export const BASE = Date.UTC(2024, 0, 29, 0, 0, 0); // a Monday

export const MAPPINGS = {
  properties: {
    seq: { type: "long" },
    symbol: { type: "keyword" },
    exchange: { type: "keyword" },
    price: { type: "double" },
    qty: { type: "long" },
    at: { type: "date" },
    tags: { type: "keyword" },
    title: { type: "text" },
    summary: { type: "text" },
  },
} as const;

export function makeDocs(n: number, seed = 42): { id: string; doc: Doc }[] {
  const r = seededRandom(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(r() * a.length)]!;
  const sentence = (k: number): string => Array.from({ length: k }, () => pick(WORDS)).join(" ");
  const out: { id: string; doc: Doc }[] = [];
  for (let i = 0; i < n; i++) {
    const doc: Doc = {
      seq: i,
      symbol: pick(SYMBOLS),
      exchange: pick(EXCHANGES),
      qty: Math.floor(r() * 100),
      // spread over ~45 days with uneven gaps, so that some hours/days are empty
      at: new Date(BASE + Math.floor(r() * 45 * 86_400_000)).toISOString(),
      tags: Array.from(new Set(Array.from({ length: Math.floor(r() * 3) }, () => pick(TAGS)))),
      summary: sentence(3 + Math.floor(r() * 5)),
    };
    if (r() > 0.1) doc.price = Math.round(r() * 100_000) / 100;
    if (r() > 0.1) doc.title = (r() < 0.15 ? "Quick brown " : "") + sentence(2 + Math.floor(r() * 6));
    out.push({ id: `d${String(i).padStart(4, "0")}`, doc });
  }
  return out;
}

/** The test's own analyser for the simple vocabulary above: lowercase words. */
export function tokens(text: string | undefined): string[] {
  return (text ?? "").toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

export function ms(iso: string): number {
  return Date.parse(iso);
}

export function sortedIds<T extends { id: string }>(list: T[]): string[] {
  return list.map((d) => d.id).sort();
}
