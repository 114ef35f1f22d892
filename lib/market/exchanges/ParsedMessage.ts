import type { Quote, Trade } from "../../../contracts/market.ts";

/**
 * A 24h rolling ticker (Binance `!miniTicker@arr`). It carries no bid/ask, so
 * it is not a Quote, and no trade id, so it is not a Trade: ticks are archived
 * with the raw batch (kept for reprocessing) and counted, but not enqueued,
 * because `market.batch` (v1 or v2) has no place for them and candles come from trades.
 */
export interface Tick {
  kind: "tick";
  exchange: string;
  symbol: string;
  base: string;
  quote: string;
  last: number;
  open: number;
  high: number;
  low: number;
  /** 24h volume in the base asset. */
  volume: number;
  /** 24h volume in the quote asset. */
  quoteVolume: number;
  ts: number;
  receivedAt: number;
}

/** What one websocket message yielded. A message may carry many records (arrays, Bitmex tables). */
export interface ParsedMessage {
  trades: Trade[];
  quotes: Quote[];
  ticks: Tick[];
  /** Records or messages that could not be read; skipped and counted, never thrown. */
  malformed: number;
  /** Control traffic (welcome, ack, pong, subscription result): not data, not an error. */
  control: boolean;
}

export const emptyParse = (): ParsedMessage => ({ trades: [], quotes: [], ticks: [], malformed: 0, control: false });

export type MessageParser = (text: string, receivedAt: number) => ParsedMessage;

/** Numbers arrive as strings (Binance, Kucoin) or numbers (Bitmex). */
export function toNumber(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function toEpochMs(value: unknown): number | undefined {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : undefined;
  }
  const n = toNumber(value);
  if (n === undefined || n <= 0) return undefined;
  // Kucoin match times are nanoseconds, some feeds use microseconds or seconds.
  if (n >= 1e17) return Math.floor(n / 1e6);
  if (n >= 1e14) return Math.floor(n / 1e3);
  if (n < 1e11) return Math.floor(n * 1e3);
  return Math.floor(n);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
