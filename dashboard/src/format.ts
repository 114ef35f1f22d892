// Number and time formatting for the tables: prices keep meaningful digits at any
// magnitude, volumes are compacted, ages read like "42 s ago".

export function formatPrice(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 2 : abs >= 1 ? 4 : abs >= 0.01 ? 6 : 8;
  return value.toLocaleString("en-US", { minimumFractionDigits: Math.min(2, digits), maximumFractionDigits: digits });
}

/** A fraction as a signed percentage: 0.01234 → "+1.23 %". */
export function formatChange(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return "–";
  const pct = fraction * 100;
  const sign = pct > 0 ? "+" : pct < 0 ? "−" : "";
  return `${sign}${Math.abs(pct).toFixed(2)} %`;
}

const UNITS: Array<[number, string]> = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "k"]];

/** 1234567 → "1.23M"; below 1000 up to 2 decimals. */
export function formatCompact(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  const abs = Math.abs(value);
  for (const [size, unit] of UNITS) if (abs >= size) return `${(value / size).toFixed(2)}${unit}`;
  return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Age of something updated at `then` (ms), seen at `now`: "just now", "42 s ago", "3 min ago", "2 h ago", "5 d ago". */
export function formatAge(then: number, now: number): string {
  const s = Math.max(0, Math.floor((now - then) / 1000));
  if (s < 2) return "just now";
  if (s < 120) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} d ago`;
}

/** "2026-11-22 10:00" in UTC: the API's windows are UTC. */
export function formatUtc(iso: string | number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, 16).replace("T", " ");
}

/** "[10:00, 16:00) UTC" for a half-open window. */
export function formatWindow(from: string, to: string): string {
  const f = formatUtc(from);
  const t = formatUtc(to);
  const sameDay = f.slice(0, 10) === t.slice(0, 10);
  return `[${f}, ${sameDay ? t.slice(11) : t}) UTC`;
}
