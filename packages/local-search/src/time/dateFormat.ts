// Date formats as used in mappings, range queries and aggregations: the named
// OpenSearch formats (strict_date_optional_time, epoch_millis, ...) and a subset
// of java-time patterns (yyyy MM dd HH mm ss SSS Z X 'literal' [optional]).
// Several alternatives are joined with "||".
import { illegalArgument, SearchError } from "../errors.ts";
import { formatOffset, toLocal, type TimeZone, UTC } from "./timeZone.ts";

export const DEFAULT_DATE_FORMAT = "strict_date_optional_time||epoch_millis";

type Unit = "year" | "month" | "day" | "hour" | "minute" | "second" | "milli";

type Token =
  | { k: "year" | "month" | "day" | "hour" | "minute" | "second"; min: number; max: number }
  | { k: "fraction"; min: number; max: number }
  | { k: "zone" }
  | { k: "lit"; text: string }
  | { k: "opt"; tokens: Token[] };

interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  milli: number;
  offset: number | null;
  precision: Unit;
}

interface Alternative {
  parse(text: string, zone: TimeZone, roundUp: boolean): number | null;
  format(ms: number, zone: TimeZone): string;
}

export interface DateFormat {
  readonly spec: string;
  /** Parses a value; throws a SearchError naming the format when nothing matches. */
  parse(value: string | number, zone?: TimeZone, roundUp?: boolean): number;
  tryParse(value: string | number, zone?: TimeZone, roundUp?: boolean): number | null;
  format(ms: number, zone?: TimeZone): string;
}

const NAMED: Record<string, { parse: string; print: string }> = {};
function named(names: string[], parse: string, print = parse): void {
  for (const n of names) NAMED[n] = { parse, print };
}
const OPTIONAL_TIME = "yyyy[-MM[-dd['T'HH[:mm[:ss[.S]]][Z]]]]";
named(["strict_date_optional_time", "date_optional_time"], OPTIONAL_TIME, "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
named(["strict_date_optional_time_nanos"], OPTIONAL_TIME, "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSZ");
named(["strict_date", "date"], "yyyy-MM-dd");
named(["strict_date_time", "date_time"], "yyyy-MM-dd'T'HH:mm:ss.SZ", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
named(["strict_date_time_no_millis", "date_time_no_millis"], "yyyy-MM-dd'T'HH:mm:ssZ");
named(["strict_date_hour_minute_second", "date_hour_minute_second"], "yyyy-MM-dd'T'HH:mm:ss");
named(
  ["strict_date_hour_minute_second_millis", "date_hour_minute_second_millis", "strict_date_hour_minute_second_fraction", "date_hour_minute_second_fraction"],
  "yyyy-MM-dd'T'HH:mm:ss.S",
  "yyyy-MM-dd'T'HH:mm:ss.SSS",
);
named(["strict_date_hour_minute", "date_hour_minute"], "yyyy-MM-dd'T'HH:mm");
named(["strict_date_hour", "date_hour"], "yyyy-MM-dd'T'HH");
named(["strict_year_month", "year_month"], "yyyy-MM");
named(["strict_year", "year"], "yyyy");
named(["strict_year_month_day", "year_month_day"], "yyyy-MM-dd");
named(["basic_date"], "yyyyMMdd");
named(["basic_date_time"], "yyyyMMdd'T'HHmmss.SZ", "yyyyMMdd'T'HHmmss.SSSZ");
named(["basic_date_time_no_millis"], "yyyyMMdd'T'HHmmssZ");
named(["strict_hour_minute_second", "hour_minute_second"], "HH:mm:ss");

function compilePattern(pattern: string): Token[] {
  let i = 0;
  const parseSeq = (endChar: string | null): Token[] => {
    const out: Token[] = [];
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (endChar !== null && c === endChar) {
        i++;
        return out;
      }
      if (c === "[") {
        i++;
        out.push({ k: "opt", tokens: parseSeq("]") });
        continue;
      }
      if (c === "'") {
        const end = pattern.indexOf("'", i + 1);
        if (end < 0) throw illegalArgument(`Invalid format: [${pattern}]: unterminated quote`);
        out.push({ k: "lit", text: end === i + 1 ? "'" : pattern.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
      if (/[A-Za-z]/.test(c)) {
        let j = i;
        while (j < pattern.length && pattern[j] === c) j++;
        const n = j - i;
        i = j;
        switch (c) {
          case "y":
          case "u":
            out.push({ k: "year", min: n === 2 ? 2 : 4, max: n === 2 ? 2 : 4 });
            break;
          case "M":
            if (n > 2) throw illegalArgument(`Invalid format: [${pattern}]: month names are not supported by the local search endpoint`);
            out.push({ k: "month", min: n, max: 2 });
            break;
          case "d":
            out.push({ k: "day", min: n, max: 2 });
            break;
          case "H":
            out.push({ k: "hour", min: n, max: 2 });
            break;
          case "m":
            out.push({ k: "minute", min: n, max: 2 });
            break;
          case "s":
            out.push({ k: "second", min: n, max: 2 });
            break;
          case "S":
            out.push({ k: "fraction", min: n === 1 ? 1 : n, max: n === 1 ? 9 : n });
            break;
          case "Z":
          case "X":
          case "x":
            out.push({ k: "zone" });
            break;
          default:
            throw illegalArgument(`Invalid format: [${pattern}]: Unknown pattern letter: ${c}`);
        }
        continue;
      }
      out.push({ k: "lit", text: c });
      i++;
    }
    if (endChar !== null) throw illegalArgument(`Invalid format: [${pattern}]: unclosed optional section`);
    return out;
  };
  return parseSeq(null);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function matchTokens(tokens: Token[], s: string, pos: number, p: Parsed): number {
  for (const t of tokens) {
    if (t.k === "lit") {
      if (!s.startsWith(t.text, pos)) return -1;
      pos += t.text.length;
      continue;
    }
    if (t.k === "opt") {
      const saved = { ...p };
      const next = matchTokens(t.tokens, s, pos, p);
      if (next < 0) Object.assign(p, saved);
      else pos = next;
      continue;
    }
    if (t.k === "zone") {
      if (s[pos] === "Z" || s[pos] === "z") {
        p.offset = 0;
        pos++;
        continue;
      }
      const m = /^([+-])(\d{2}):?(\d{2})?/.exec(s.slice(pos));
      if (!m) return -1;
      p.offset = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? "0")) * 60_000;
      pos += m[0].length;
      continue;
    }
    let j = pos;
    while (j < s.length && j - pos < t.max && isDigit(s.charCodeAt(j))) j++;
    const n = j - pos;
    if (n < t.min) return -1;
    const digits = s.slice(pos, j);
    pos = j;
    if (t.k === "fraction") {
      p.milli = Number((digits + "000").slice(0, 3));
      p.precision = "milli";
      continue;
    }
    const v = Number(digits);
    p[t.k] = t.k === "year" && n === 2 ? 2000 + v : v;
    p.precision = t.k;
  }
  return pos;
}

const UNIT_MS: Record<Unit, number> = { year: 0, month: 0, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000, milli: 1 };

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function patternAlternative(parsePattern: string, printPattern: string): Alternative {
  const tokens = compilePattern(parsePattern);
  const printTokens = compilePattern(printPattern);
  return {
    parse(text, zone, roundUp) {
      const p: Parsed = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, milli: 0, offset: null, precision: "milli" };
      const end = matchTokens(tokens, text, 0, p);
      if (end !== text.length) return null;
      if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysInMonth(p.year, p.month)) return null;
      if (p.hour > 23 || p.minute > 59 || p.second > 59) return null;
      let local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.milli);
      if (p.year >= 0 && p.year < 100) local = new Date(local).setUTCFullYear(p.year);
      if (roundUp) {
        // Missing components are filled with their maximum, like OpenSearch's round-up parser.
        if (p.precision === "year") local = Date.UTC(p.year + 1, 0, 1) - 1;
        else if (p.precision === "month") local = Date.UTC(p.year, p.month, 1) - 1;
        else local += UNIT_MS[p.precision] - 1;
      }
      if (p.offset !== null) return local - p.offset;
      return zone.fixed !== null ? local - zone.fixed : local - zone.offsetAt(local - zone.offsetAt(local));
    },
    format(ms, zone) {
      const offset = zone.fixed ?? zone.offsetAt(ms);
      const d = new Date(toLocal(ms, zone));
      const out: string[] = [];
      const emit = (ts: Token[]): void => {
        for (const t of ts) {
          switch (t.k) {
            case "lit":
              out.push(t.text);
              break;
            case "opt":
              emit(t.tokens);
              break;
            case "zone":
              out.push(formatOffset(offset));
              break;
            case "year":
              out.push(String(d.getUTCFullYear()).padStart(t.min, "0").slice(t.max === 2 ? -2 : 0));
              break;
            case "month":
              out.push(String(d.getUTCMonth() + 1).padStart(t.min, "0"));
              break;
            case "day":
              out.push(String(d.getUTCDate()).padStart(t.min, "0"));
              break;
            case "hour":
              out.push(String(d.getUTCHours()).padStart(t.min, "0"));
              break;
            case "minute":
              out.push(String(d.getUTCMinutes()).padStart(t.min, "0"));
              break;
            case "second":
              out.push(String(d.getUTCSeconds()).padStart(t.min, "0"));
              break;
            case "fraction":
              out.push((String(d.getUTCMilliseconds()).padStart(3, "0") + "000000").slice(0, t.min));
              break;
          }
        }
      };
      emit(printTokens);
      return out.join("");
    },
  };
}

function epochAlternative(scale: number): Alternative {
  return {
    parse(text) {
      if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
      return Math.floor(Number(text) * scale);
    },
    format(ms) {
      return scale === 1 ? String(ms) : String(ms / scale);
    },
  };
}

const formatCache = new Map<string, DateFormat>();

export function compileDateFormat(spec: string): DateFormat {
  const hit = formatCache.get(spec);
  if (hit) return hit;
  const alternatives: Alternative[] = spec.split("||").map((part) => {
    const name = part.trim();
    if (name === "epoch_millis") return epochAlternative(1);
    if (name === "epoch_second") return epochAlternative(1000);
    const n = NAMED[name];
    if (n) return patternAlternative(n.parse, n.print);
    if (name === "") throw illegalArgument(`Invalid format: [${spec}]: empty format`);
    return patternAlternative(name, name);
  });
  const epochFirstOrAny = spec.split("||").some((x) => x.trim() === "epoch_millis");
  const isoFirst = NAMED[spec.split("||")[0]!.trim()]?.parse === OPTIONAL_TIME;
  const tryParse = (value: string | number, zone: TimeZone = UTC, roundUp = false): number | null => {
    // Fast paths for the two shapes documents carry: epoch millis numbers (a number
    // of 5+ digits can never match a yyyy-based pattern) and full ISO-8601 instants.
    if (typeof value === "number") {
      if (epochFirstOrAny && Number.isFinite(value) && (value >= 10000 || value < 0 || !Number.isInteger(value))) return Math.floor(value);
    } else if (isoFirst && !roundUp) {
      const fast = parseIsoInstant(value, zone);
      if (fast !== null) return fast;
    }
    const text = typeof value === "number" ? String(value) : value;
    for (const alt of alternatives) {
      const ms = alt.parse(text, zone, roundUp);
      if (ms !== null && Number.isFinite(ms)) return ms;
    }
    // Numbers are epoch millis for any format that lists epoch_millis; plain JSON
    // numbers written in exponent form ("1.7e12") land here too.
    if (typeof value === "number" && spec.includes("epoch_millis") && Number.isFinite(value)) return Math.floor(value);
    return null;
  };
  const first = alternatives[0]!;
  const format: DateFormat = {
    spec,
    tryParse,
    parse(value, zone = UTC, roundUp = false) {
      const ms = tryParse(value, zone, roundUp);
      if (ms === null) {
        throw new SearchError(400, "parse_exception", `failed to parse date field [${value}] with format [${spec}]`, {
          causedBy: { type: "illegal_argument_exception", reason: `failed to parse date field [${value}] with format [${spec}]` },
        });
      }
      return ms;
    },
    format(ms, zone = UTC) {
      return first.format(ms, zone);
    },
  };
  formatCache.set(spec, format);
  return format;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/;

/** yyyy-MM-ddTHH:mm:ss[.fraction][Z|±HH:mm]; null for anything else (left to the general parser). */
function parseIsoInstant(text: string, zone: TimeZone): number | null {
  const m = ISO.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  const milli = m[7] === undefined ? 0 : Number((m[7] + "00").slice(0, 3));
  let t = Date.UTC(year, month - 1, day, hour, minute, second, milli);
  if (year < 100) t = new Date(t).setUTCFullYear(year);
  const z = m[8];
  if (z === "Z") return t;
  if (z !== undefined) return t - (z[0] === "-" ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(4, 6))) * 60_000;
  return zone.fixed !== null ? t - zone.fixed : t - zone.offsetAt(t - zone.offsetAt(t));
}
