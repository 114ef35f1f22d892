/**
 * Parses a date shown on a page with a declared format (e.g. `MMM d, yyyy - HH:mm`)
 * into an ISO-8601 instant. Written here rather than pulled in as a dependency:
 * the token set is small and the result must not depend on the machine's locale.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

type Part = "year" | "year2" | "month" | "monthName" | "day" | "hour" | "hour12" | "minute" | "second" | "millis" | "ampm" | "offset";

const TOKENS: Array<[string, Part, string]> = [
  ["yyyy", "year", "(\\d{4})"],
  ["yy", "year2", "(\\d{2})"],
  ["MMMM", "monthName", "([A-Za-z]+)"],
  ["MMM", "monthName", "([A-Za-z]{3,4})\\.?"],
  ["MM", "month", "(\\d{2})"],
  ["M", "month", "(\\d{1,2})"],
  ["dd", "day", "(\\d{2})"],
  ["d", "day", "(\\d{1,2})"],
  ["HH", "hour", "(\\d{2})"],
  ["H", "hour", "(\\d{1,2})"],
  ["hh", "hour12", "(\\d{2})"],
  ["h", "hour12", "(\\d{1,2})"],
  ["mm", "minute", "(\\d{2})"],
  ["ss", "second", "(\\d{2})"],
  ["SSS", "millis", "(\\d{3})"],
  ["a", "ampm", "([AaPp][Mm])"],
  ["XXX", "offset", "(Z|[+-]\\d{2}:?\\d{2})"],
];

export interface CompiledDateFormat {
  regex: RegExp;
  parts: Part[];
}

/** Throws with the reason when the format cannot be used; called at config validation. */
export function compileDateFormat(format: string): CompiledDateFormat {
  if (format === "iso") return { regex: /^(.*)$/, parts: [] };
  let source = "";
  const parts: Part[] = [];
  let i = 0;
  while (i < format.length) {
    if (format[i] === "'") {
      const end = format.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in date format "${format}"`);
      source += escape(format.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    const token = TOKENS.find(([t]) => format.startsWith(t, i));
    if (token) {
      source += token[2];
      parts.push(token[1]);
      i += token[0].length;
    } else if (/[A-Za-z]/.test(format[i]!)) {
      throw new Error(`unknown date token "${format[i]}" in "${format}" (use yyyy yy MMMM MMM MM M dd d HH H hh h mm ss SSS a XXX, quote literal text)`);
    } else {
      source += format[i] === " " ? "\\s+" : escape(format[i]!);
      i++;
    }
  }
  if (!parts.includes("year") && !parts.includes("year2")) throw new Error(`date format "${format}" has no year (yyyy or yy)`);
  return { regex: new RegExp(`^\\s*${source}\\s*$`), parts };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `timezone` is `UTC` or an offset like `+02:00`; used when the text carries none. */
export function parseFormattedDate(text: string, format: CompiledDateFormat | string, timezone = "UTC"): string {
  const compiled = typeof format === "string" ? compileDateFormat(format) : format;
  if (compiled.parts.length === 0) {
    const ms = Date.parse(text.trim());
    if (Number.isNaN(ms)) throw new Error(`"${text}" is not an ISO date`);
    return new Date(ms).toISOString();
  }
  const match = compiled.regex.exec(text);
  if (!match) throw new Error(`"${text}" does not match the date format`);
  const v = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0, pm: undefined as boolean | undefined, offsetMin: offsetMinutes(timezone) };
  let hour12: number | undefined;
  compiled.parts.forEach((part, index) => {
    const raw = match[index + 1]!;
    switch (part) {
      case "year": v.year = Number(raw); break;
      case "year2": v.year = 2000 + Number(raw); break;
      case "month": v.month = Number(raw); break;
      case "monthName": {
        const m = MONTHS.indexOf(raw.slice(0, 3).toLowerCase());
        if (m < 0) throw new Error(`"${raw}" is not a month name`);
        v.month = m + 1;
        break;
      }
      case "day": v.day = Number(raw); break;
      case "hour": v.hour = Number(raw); break;
      case "hour12": hour12 = Number(raw); break;
      case "minute": v.minute = Number(raw); break;
      case "second": v.second = Number(raw); break;
      case "millis": v.millis = Number(raw); break;
      case "ampm": v.pm = raw.toLowerCase() === "pm"; break;
      case "offset": v.offsetMin = offsetMinutes(raw); break;
    }
  });
  if (hour12 !== undefined) v.hour = (hour12 % 12) + (v.pm ? 12 : 0);
  if (v.month < 1 || v.month > 12 || v.day < 1 || v.day > 31 || v.hour > 23 || v.minute > 59 || v.second > 59) {
    throw new Error(`"${text}" is not a valid date`);
  }
  const utc = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second, v.millis) - v.offsetMin * 60_000;
  const check = new Date(Date.UTC(v.year, v.month - 1, v.day));
  if (check.getUTCDate() !== v.day) throw new Error(`"${text}" is not a valid date`);
  return new Date(utc).toISOString();
}

export function offsetMinutes(zone: string): number {
  if (zone === "UTC" || zone === "Z") return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) throw new Error(`timezone "${zone}" must be UTC or an offset like +02:00`);
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
