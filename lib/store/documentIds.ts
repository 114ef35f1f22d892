// Deterministic document ids: the same fact always gets the same `_id`, so a
// retried or duplicated write replaces (or is refused as a duplicate of) the
// earlier one instead of adding a document.
import { createHash } from "node:crypto";
import { canonicalUrl } from "../../contracts/canonicalUrl.ts";
import type { CandleTimeframe, Timeframe } from "../../contracts/timeframes.ts";

/** Scope of an aggregate across every exchange. Not a valid exchange name. */
export const ALL_EXCHANGES = "all";

const SEP = "|";

function part(name: string, value: string): string {
  if (value.length === 0 || value.includes(SEP)) {
    throw new TypeError(`${name} must be non-empty and contain no "${SEP}": "${value}"`);
  }
  return value;
}

/** Trade: exchange + symbol + the exchange's trade id. */
export function tradeDocId(exchange: string, symbol: string, tradeId: string): string {
  if (tradeId.length === 0 || Buffer.byteLength(tradeId) > 256) throw new TypeError(`bad trade id: "${tradeId}"`);
  return `${part("exchange", exchange)}${SEP}${part("symbol", symbol)}${SEP}${tradeId}`;
}

/** Candle: scope (exchange or `all`) + symbol + timeframe + bucket start (epoch ms). */
export function candleDocId(scope: string, symbol: string, tf: CandleTimeframe, bucketStartMs: number): string {
  return `${part("scope", scope)}${SEP}${part("symbol", symbol)}${SEP}${tf}${SEP}${bucketStartMs}`;
}

/** Latest quote: exchange + symbol. */
export function quoteDocId(exchange: string, symbol: string): string {
  return `${part("exchange", exchange)}${SEP}${part("symbol", symbol)}`;
}

/** Latest listing row: listing site + symbol. */
export function listingDocId(source: string, symbol: string): string {
  return `${part("source", source)}${SEP}${part("symbol", symbol)}`;
}

/** News article: SHA-256 (hex) of its canonical URL. */
export function newsDocId(url: string): string {
  return createHash("sha256").update(canonicalUrl(url)).digest("hex");
}

/** Sentiment aggregate: tag + timeframe + bucket start (epoch ms). */
export function sentimentDocId(tag: string, tf: Timeframe, bucketStartMs: number): string {
  return `${part("tag", tag)}${SEP}${tf}${SEP}${bucketStartMs}`;
}

/** Social post: SHA-256 (hex) of its source and the source's own id, so a post seen twice is one document. */
export function socialPostDocId(source: string, postId: string): string {
  return createHash("sha256").update(`${part("source", source)}${SEP}${postId}`).digest("hex");
}

/** Social activity of one coin in one minute: coin + minute start (epoch ms). */
export function socialActivityDocId(coin: string, minuteMs: number): string {
  return `${part("coin", coin)}${SEP}${minuteMs}`;
}

/** Completeness counts of one collection window: exchange + symbol + hour (epoch ms) + window id. */
export function completenessDocId(exchange: string, symbol: string, hourMs: number, windowId: string): string {
  return `${part("exchange", exchange)}${SEP}${part("symbol", symbol)}${SEP}${hourMs}${SEP}${createHash("sha256").update(windowId).digest("hex").slice(0, 32)}`;
}
