// Query-parameter validation. Every failure throws InvalidRequestError naming
// the parameter, which the handler's jsonErrors middleware answers with 400
// and `field`.
import { InvalidRequestError } from "../../contracts/validation.ts";
import { isTimeframe, TIMEFRAME_MS, TIMEFRAMES, type Timeframe } from "../../contracts/timeframes.ts";
import type { TimeWindow } from "./windows.ts";

export { InvalidRequestError };

export type QueryParams = Readonly<Record<string, string | undefined>>;

const SYMBOL = /^[A-Z0-9]{2,20}$/;
const INTEGER = /^[0-9]{1,9}$/;
const EPOCH_MS = /^[0-9]{1,15}$/;
// A date, or a date-time with an explicit zone (a zone-less date-time would be read in local time).
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** At most this many candles per /candles request. */
export const MAX_CANDLES = 5000;

function present(q: QueryParams, name: string): string | undefined {
  const raw = q[name];
  if (raw === undefined) return undefined;
  const value = raw.trim();
  return value === "" ? undefined : value;
}

/** A symbol such as BTCUSDT: upper-cased, then 2–20 of A–Z and 0–9. */
export function parseSymbol(q: QueryParams, name = "symbol"): string {
  const raw = present(q, name);
  if (raw === undefined) throw new InvalidRequestError(name, "is required (e.g. BTCUSDT)");
  const symbol = raw.toUpperCase();
  if (!SYMBOL.test(symbol)) throw new InvalidRequestError(name, "must be 2 to 20 letters or digits (e.g. BTCUSDT)");
  return symbol;
}

export function parseOptionalSymbol(q: QueryParams, name = "symbol"): string | undefined {
  return present(q, name) === undefined ? undefined : parseSymbol(q, name);
}

/** A whole number in [min, max]; `fallback` when absent (required when there is none). */
export function parseInteger(q: QueryParams, name: string, min: number, max: number, fallback?: number): number {
  const raw = present(q, name);
  if (raw === undefined) {
    if (fallback === undefined) throw new InvalidRequestError(name, `is required (a whole number from ${min} to ${max})`);
    return fallback;
  }
  const n = INTEGER.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidRequestError(name, `must be a whole number from ${min} to ${max}`);
  return n;
}

export function parseTimeframe(q: QueryParams, name = "tf", fallback?: Timeframe): Timeframe {
  const raw = present(q, name);
  if (raw === undefined) {
    if (fallback === undefined) throw new InvalidRequestError(name, `is required (one of ${TIMEFRAMES.join(", ")})`);
    return fallback;
  }
  if (!isTimeframe(raw)) throw new InvalidRequestError(name, `must be one of ${TIMEFRAMES.join(", ")}`);
  return raw;
}

/** An instant: epoch milliseconds, or ISO 8601 (a date, or a date-time with Z or an offset). */
export function parseInstant(value: string, name: string): number {
  let ms = NaN;
  if (EPOCH_MS.test(value)) ms = Number(value);
  else if (ISO_TIME.test(value)) ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InvalidRequestError(name, "must be epoch milliseconds or an ISO 8601 time with a zone (e.g. 2026-11-22T10:00:00Z)");
  return ms;
}

/**
 * The candle range: `to` defaults to `now`, `from` to 100 candles before `to`;
 * from < to and at most MAX_CANDLES buckets of `tf`.
 */
export function parseCandleRange(q: QueryParams, tf: Timeframe, now: number, noun = "candles"): TimeWindow {
  const rawTo = present(q, "to");
  const rawFrom = present(q, "from");
  const to = rawTo === undefined ? now : parseInstant(rawTo, "to");
  const from = rawFrom === undefined ? to - 100 * TIMEFRAME_MS[tf] : parseInstant(rawFrom, "from");
  if (from >= to) throw new InvalidRequestError("from", "must be before to");
  if ((to - from) / TIMEFRAME_MS[tf] > MAX_CANDLES) {
    throw new InvalidRequestError("to", `the range spans more than ${MAX_CANDLES} ${tf} ${noun}; narrow from/to or use a longer tf`);
  }
  return { from, to };
}

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;

/** A news tag or coin (BTC, regulation…): 1–64 letters, digits, space, dot, dash or underscore. */
export function parseOptionalTag(q: QueryParams, name = "tag"): string | undefined {
  const raw = present(q, name);
  if (raw === undefined) return undefined;
  if (!TAG.test(raw)) throw new InvalidRequestError(name, "must be 1 to 64 letters, digits, spaces, dots, dashes or underscores (e.g. BTC)");
  return raw;
}

export function parseTag(q: QueryParams, name = "tag"): string {
  const tag = parseOptionalTag(q, name);
  if (tag === undefined) throw new InvalidRequestError(name, "is required (e.g. BTC)");
  return tag;
}

/** Free text for search: at most 200 characters. */
export function parseOptionalText(q: QueryParams, name = "q"): string | undefined {
  const raw = present(q, name);
  if (raw === undefined) return undefined;
  if (raw.length > 200) throw new InvalidRequestError(name, "must be at most 200 characters");
  return raw;
}

/** Optional `from`/`to` instants; when both are given, from < to. */
export function parseOptionalRange(q: QueryParams): { from?: number; to?: number } {
  const rawFrom = present(q, "from");
  const rawTo = present(q, "to");
  const from = rawFrom === undefined ? undefined : parseInstant(rawFrom, "from");
  const to = rawTo === undefined ? undefined : parseInstant(rawTo, "to");
  if (from !== undefined && to !== undefined && from >= to) throw new InvalidRequestError("from", "must be before to");
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

const COIN = /^[A-Z0-9]{1,15}$/;

/** A coin as the social posts are tagged (BTC, ETH…): upper-cased, 1–15 letters or digits. */
export function parseCoin(q: QueryParams, name = "coin"): string {
  const raw = present(q, name);
  if (raw === undefined) throw new InvalidRequestError(name, "is required (e.g. BTC)");
  const coin = raw.toUpperCase();
  if (!COIN.test(coin)) throw new InvalidRequestError(name, "must be 1 to 15 letters or digits (e.g. BTC)");
  return coin;
}

/** At most this many days of minutes are merged by one /social/activity request. */
export const MAX_ACTIVITY_DAYS = 31;

/**
 * The /social/activity range: `to` defaults to now, `from` to 100 buckets
 * before; from < to, at most MAX_CANDLES buckets and MAX_ACTIVITY_DAYS days
 * (the answer merges every stored minute of the range).
 */
export function parseActivityRange(q: QueryParams, tf: Timeframe, now: number): TimeWindow {
  const window = parseCandleRange(q, tf, now, "buckets");
  if (window.to - window.from > MAX_ACTIVITY_DAYS * 86_400_000) {
    throw new InvalidRequestError("from", `the range spans more than ${MAX_ACTIVITY_DAYS} days; narrow from/to`);
  }
  return window;
}
