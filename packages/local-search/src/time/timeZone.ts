// Time zones for date math, range queries and date_histogram: fixed offsets
// (UTC, Z, +01:00, -0530) and IANA names (Europe/Paris) through Intl.
import { illegalArgument } from "../errors.ts";

export interface TimeZone {
  readonly id: string;
  /** Offset in ms to add to a UTC instant to get local wall-clock time. */
  offsetAt(utcMs: number): number;
  /** Fixed offset in ms, or null when the zone has daylight saving rules. */
  readonly fixed: number | null;
}

export const UTC: TimeZone = { id: "Z", fixed: 0, offsetAt: () => 0 };

const UTC_NAMES = new Set(["utc", "z", "gmt", "etc/utc", "etc/gmt", "uct", "zulu", "universal", "+00:00", "-00:00", "+0000", "+00"]);

const cache = new Map<string, TimeZone>();

export function parseTimeZone(id: string): TimeZone {
  const hit = cache.get(id);
  if (hit) return hit;
  const zone = buildZone(id);
  cache.set(id, zone);
  return zone;
}

function buildZone(id: string): TimeZone {
  if (UTC_NAMES.has(id.toLowerCase())) return UTC;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(id);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3] ?? "0");
    if (hours > 18 || minutes > 59) throw illegalArgument(`The datetime zone id '${id}' is not recognised`);
    const offset = (m[1] === "-" ? -1 : 1) * (hours * 60 + minutes) * 60_000;
    return { id: formatOffset(offset), fixed: offset, offsetAt: () => offset };
  }
  let dtf: Intl.DateTimeFormat;
  try {
    dtf = new Intl.DateTimeFormat("en-US", {
      timeZone: id,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    throw illegalArgument(`The datetime zone id '${id}' is not recognised`);
  }
  const memo = new Map<number, number>();
  const offsetAt = (utcMs: number): number => {
    // Offsets change at most at whole minutes; memoise per minute.
    const minute = Math.floor(utcMs / 60_000);
    const known = memo.get(minute);
    if (known !== undefined) return known;
    const parts = dtf.formatToParts(new Date(minute * 60_000));
    const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? "0");
    const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
    const off = local - minute * 60_000;
    if (memo.size > 10_000) memo.clear();
    memo.set(minute, off);
    return off;
  };
  return { id, fixed: null, offsetAt };
}

export function formatOffset(offsetMs: number): string {
  if (offsetMs === 0) return "Z";
  const sign = offsetMs < 0 ? "-" : "+";
  const total = Math.abs(offsetMs) / 60_000;
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${sign}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

export function toLocal(utcMs: number, zone: TimeZone): number {
  return zone.fixed !== null ? utcMs + zone.fixed : utcMs + zone.offsetAt(utcMs);
}

/** Converts a local wall-clock time to UTC; in a DST gap the later offset wins, in an overlap the earlier instant. */
export function toUtc(localMs: number, zone: TimeZone): number {
  if (zone.fixed !== null) return localMs - zone.fixed;
  const first = localMs - zone.offsetAt(localMs);
  const second = localMs - zone.offsetAt(first);
  if (second === first) return first;
  const third = localMs - zone.offsetAt(second);
  return Math.min(second, third);
}
