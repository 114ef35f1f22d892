// Date math ("now-6h/h", "now/d", "2024-01-01||+1M/d") and calendar rounding,
// shared by range queries and date_histogram.
import { SearchError } from "../errors.ts";
import type { DateFormat } from "./dateFormat.ts";
import { toLocal, toUtc, type TimeZone, UTC } from "./timeZone.ts";

export type CalendarUnit = "second" | "minute" | "hour" | "day" | "week" | "month" | "quarter" | "year";

const MATH_UNITS: Record<string, CalendarUnit> = {
  y: "year",
  M: "month",
  w: "week",
  d: "day",
  h: "hour",
  H: "hour",
  m: "minute",
  s: "second",
};

function mathError(expr: string, why: string): SearchError {
  return new SearchError(400, "parse_exception", `failed to parse date field [${expr}]: ${why}`);
}

/** Start of the calendar unit containing utcMs, in the given zone. Weeks start on Monday. */
export function roundDown(utcMs: number, unit: CalendarUnit, zone: TimeZone = UTC): number {
  if (zone.fixed !== null) {
    const f = zone.fixed;
    switch (unit) {
      case "second":
        return Math.floor((utcMs + f) / 1000) * 1000 - f;
      case "minute":
        return Math.floor((utcMs + f) / 60_000) * 60_000 - f;
      case "hour":
        return Math.floor((utcMs + f) / 3_600_000) * 3_600_000 - f;
      case "day":
        return Math.floor((utcMs + f) / 86_400_000) * 86_400_000 - f;
      default:
        break;
    }
  }
  const local = toLocal(utcMs, zone);
  const d = new Date(local);
  let start: number;
  switch (unit) {
    case "second":
      start = Math.floor(local / 1000) * 1000;
      break;
    case "minute":
      start = Math.floor(local / 60_000) * 60_000;
      break;
    case "hour":
      start = Math.floor(local / 3_600_000) * 3_600_000;
      break;
    case "day":
      start = Math.floor(local / 86_400_000) * 86_400_000;
      break;
    case "week": {
      const day = Math.floor(local / 86_400_000) * 86_400_000;
      const dow = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
      start = day - dow * 86_400_000;
      break;
    }
    case "month":
      start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      break;
    case "quarter":
      start = Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
      break;
    case "year":
      start = Date.UTC(d.getUTCFullYear(), 0, 1);
      break;
  }
  return toUtc(start, zone);
}

/** Adds n calendar units to an instant (in local time of the zone for day and longer units). */
export function addUnits(utcMs: number, unit: CalendarUnit, n: number, zone: TimeZone = UTC): number {
  switch (unit) {
    case "second":
      return utcMs + n * 1000;
    case "minute":
      return utcMs + n * 60_000;
    case "hour":
      return utcMs + n * 3_600_000;
    default:
      break;
  }
  const local = toLocal(utcMs, zone);
  const d = new Date(local);
  let next: number;
  if (unit === "day" || unit === "week") {
    next = local + n * (unit === "day" ? 1 : 7) * 86_400_000;
  } else {
    const months = unit === "month" ? n : unit === "quarter" ? 3 * n : 12 * n;
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + months;
    const targetYear = y + Math.floor(m / 12);
    const targetMonth = ((m % 12) + 12) % 12;
    const dim = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
    next = Date.UTC(targetYear, targetMonth, Math.min(d.getUTCDate(), dim), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  }
  return toUtc(next, zone);
}

/**
 * Evaluates a date math expression. roundUp selects the end of a rounded unit
 * (used by gt and lte in range queries) and fills missing date components with
 * their maximum.
 */
export function parseDateMath(
  expr: string | number,
  format: DateFormat,
  opts: { now?: number; roundUp?: boolean; zone?: TimeZone } = {},
): number {
  const zone = opts.zone ?? UTC;
  const roundUp = opts.roundUp ?? false;
  if (typeof expr === "number") return format.parse(expr, zone, roundUp);
  let base: number;
  let math: string;
  if (expr.startsWith("now")) {
    base = opts.now ?? Date.now();
    math = expr.slice(3);
  } else {
    const sep = expr.indexOf("||");
    if (sep < 0) return format.parse(expr, zone, roundUp);
    math = expr.slice(sep + 2);
    base = format.parse(expr.slice(0, sep), zone, roundUp && math === "");
  }
  let i = 0;
  let t = base;
  while (i < math.length) {
    const op = math[i++]!;
    if (op === "/") {
      const u = MATH_UNITS[math[i++] ?? ""];
      if (!u) throw mathError(expr, "rounding to an unknown unit");
      t = roundDown(t, u, zone);
      if (roundUp) t = addUnits(t, u, 1, zone) - 1;
      continue;
    }
    if (op !== "+" && op !== "-") throw mathError(expr, `operator not supported for date math [${math}]`);
    let j = i;
    while (j < math.length && /[0-9]/.test(math[j]!)) j++;
    const n = j === i ? 1 : Number(math.slice(i, j));
    const u = MATH_UNITS[math[j] ?? ""];
    if (!u) throw mathError(expr, `unit [${math[j] ?? ""}] not supported for date math [${math}]`);
    i = j + 1;
    t = addUnits(t, u, op === "+" ? n : -n, zone);
  }
  return t;
}
