// Pure checks run before anything is sent: a record that fails one can never
// be stored, so it is failed permanently (DLQ) without a round trip.
import { ALL_EXCHANGES } from "./documentIds.ts";
import type { QuoteDoc, MarketTrade } from "./types.ts";

const DAY = 86_400_000;

function name(field: string, v: unknown): string | undefined {
  if (typeof v !== "string" || v.length === 0) return `${field} must be a non-empty string`;
  if (v.includes("|")) return `${field} must not contain "|"`;
  return undefined;
}

function finite(field: string, v: unknown, min: number, exclusive = false): string | undefined {
  if (typeof v !== "number" || !Number.isFinite(v) || (exclusive ? v <= min : v < min)) {
    return `${field} must be a finite number ${exclusive ? ">" : "≥"} ${min}, got ${String(v)}`;
  }
  return undefined;
}

function time(field: string, v: unknown): string | undefined {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) return `${field} must be epoch milliseconds, got ${String(v)}`;
  return undefined;
}

export interface TradeLimits {
  now: number;
  /** Trades close to the retention horizon are refused (see oldestAcceptedTrade). */
  retentionHours: number;
  /** Trades further than this in the future are refused (clock or unit error). */
  maxFutureMs?: number;
}

/**
 * The oldest trade time still stored. A late trade is merged with the other trades
 * of its second, so those must still be there: retention drops them by age (whole
 * daily indices through ISM in AWS, by time in the local cloud), and a trade within
 * a margin of that horizon (a day, or a quarter of a retention shorter than two
 * days) is refused rather than merged with a second that is partly gone.
 */
export function oldestAcceptedTrade(now: number, retentionHours: number): number {
  const retentionMs = retentionHours * 3_600_000;
  const margin = retentionHours >= 48 ? DAY : retentionMs / 4;
  return now - retentionMs + margin;
}

/** Why `trade` cannot be stored, or undefined when it can. */
export function tradeProblem(trade: MarketTrade, limits: TradeLimits): string | undefined {
  const problem =
    name("exchange", trade.exchange) ??
    (trade.exchange === ALL_EXCHANGES ? `exchange "${ALL_EXCHANGES}" is reserved` : undefined) ??
    name("symbol", trade.symbol) ??
    (typeof trade.tradeId !== "string" || trade.tradeId.length === 0 || Buffer.byteLength(trade.tradeId) > 256
      ? "tradeId must be a string of 1..256 bytes"
      : undefined) ??
    finite("price", trade.price, 0, true) ??
    finite("size", trade.size, 0) ??
    time("time", trade.time) ??
    (trade.side !== undefined && trade.side !== "buy" && trade.side !== "sell" ? `side must be buy or sell` : undefined) ??
    (trade.receivedAt !== undefined ? time("receivedAt", trade.receivedAt) : undefined);
  if (problem !== undefined) return problem;
  if (trade.time < oldestAcceptedTrade(limits.now, limits.retentionHours)) {
    return `trade time ${new Date(trade.time).toISOString()} is too close to the trade retention (${limits.retentionHours} h) to be stored`;
  }
  if (trade.time > limits.now + (limits.maxFutureMs ?? DAY)) {
    return `trade time ${new Date(trade.time).toISOString()} is in the future`;
  }
  return undefined;
}

/** Why `quote` cannot be stored, or undefined when it can. */
export function quoteProblem(quote: QuoteDoc): string | undefined {
  return (
    name("exchange", quote.exchange) ??
    (quote.exchange === ALL_EXCHANGES ? `exchange "${ALL_EXCHANGES}" is reserved` : undefined) ??
    name("symbol", quote.symbol) ??
    finite("bid", quote.bid, 0) ??
    finite("ask", quote.ask, 0) ??
    (quote.bidSize !== undefined ? finite("bidSize", quote.bidSize, 0) : undefined) ??
    (quote.askSize !== undefined ? finite("askSize", quote.askSize, 0) : undefined) ??
    (quote.last !== undefined ? finite("last", quote.last, 0) : undefined) ??
    time("at", quote.at) ??
    (quote.receivedAt !== undefined ? time("receivedAt", quote.receivedAt) : undefined)
  );
}
