// Bucket arithmetic in UTC, pure. A bucket is the half-open interval
// [bucketStart, bucketStart + TIMEFRAME_MS[tf]).
import { TIMEFRAME_MS, type CandleTimeframe } from "../../contracts/timeframes.ts";

/** 1970-01-01 was a Thursday; the first Monday 00:00 UTC after it is 1970-01-05. */
const EPOCH_MONDAY_MS = 4 * 86_400_000;

function floorTo(ms: number, size: number, offset: number): number {
  return Math.floor((ms - offset) / size) * size + offset;
}

/** Start (epoch ms) of the `tf` bucket that contains `ms`. */
export function bucketStart(tf: CandleTimeframe, ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`bucketStart: not a time: ${ms}`);
  return floorTo(Math.trunc(ms), TIMEFRAME_MS[tf], tf === "1w" ? EPOCH_MONDAY_MS : 0);
}

/** End (exclusive) of the bucket that starts at `start`. */
export function bucketEnd(tf: CandleTimeframe, start: number): number {
  return start + TIMEFRAME_MS[tf];
}

/** Starts of every `tf` bucket that overlaps [fromMs, toMs). */
export function bucketStartsBetween(tf: CandleTimeframe, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let s = bucketStart(tf, fromMs); s < toMs; s += TIMEFRAME_MS[tf]) out.push(s);
  return out;
}
