// The time windows of the API's questions. Every window is half-open
// [from, to), in epoch ms, aligned on UTC minute or hour boundaries (the
// epoch falls on a UTC midnight, so floor division aligns in UTC).
//
//   current hour   H = start of the hour containing `now`: [H, H + 1 h)
//   previous hour      [H − 1 h, H)
//   current minute M = start of the minute containing `now`: [M, M + 1 min)
//
// A `now` exactly on a boundary belongs to the hour/minute that starts there.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export interface TimeWindow {
  /** Inclusive start, epoch ms. */
  from: number;
  /** Exclusive end, epoch ms. */
  to: number;
}

function checkNow(now: number): void {
  if (!Number.isFinite(now)) throw new RangeError(`not a time: ${now}`);
}

export function startOfHour(now: number): number {
  checkNow(now);
  return Math.floor(now / HOUR_MS) * HOUR_MS;
}

export function startOfMinute(now: number): number {
  checkNow(now);
  return Math.floor(now / MINUTE_MS) * MINUTE_MS;
}

/** The last complete hour: [H − 1 h, H). */
export function previousHour(now: number): TimeWindow {
  const h = startOfHour(now);
  return { from: h - HOUR_MS, to: h };
}

/**
 * `hours` complete hours ending where the previous hour starts:
 * [H − (hours + 1) h, H − 1 h). Excludes the current and the previous hour.
 */
export function hoursBeforePreviousHour(now: number, hours: number): TimeWindow {
  const h = startOfHour(now);
  return { from: h - (hours + 1) * HOUR_MS, to: h - HOUR_MS };
}

/** `hours` complete hours ending where the current hour starts: [H − hours h, H). */
export function hoursBeforeCurrentHour(now: number, hours: number): TimeWindow {
  const h = startOfHour(now);
  return { from: h - hours * HOUR_MS, to: h };
}

/** `minutes` complete minutes ending where the current minute starts: [M − minutes min, M). */
export function minutesBeforeCurrentMinute(now: number, minutes: number): TimeWindow {
  const m = startOfMinute(now);
  return { from: m - minutes * MINUTE_MS, to: m };
}

/** Bucket starts from, from + step, … < to. */
export function bucketStartsIn(window: TimeWindow, step: number): number[] {
  const out: number[] = [];
  for (let t = window.from; t < window.to; t += step) out.push(t);
  return out;
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** How a window is shown in every answer. */
export function windowJson(window: TimeWindow): { from: string; to: string } {
  return { from: iso(window.from), to: iso(window.to) };
}
