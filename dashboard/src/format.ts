// Number and time formatting for the tables: every price of a symbol with the same
// decimals (its tick size's, else a precision from its magnitude), volumes compacted,
// ages read like "42 s ago".

/** Decimals a price step needs: 0.01 → 2, 0.05 → 2, 0.5 → 1, 1 → 0, 0.00001 → 5. */
export function tickDecimals(tickSize: number): number {
  for (let d = 0; d < 12; d++) {
    const scaled = tickSize * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 12;
}

/** Decimals for a price whose step is unknown: about five significant digits, at least 2, at most 8. */
export function magnitudeDecimals(price: number): number {
  const abs = Math.abs(price);
  if (!Number.isFinite(abs) || abs === 0) return 2;
  return Math.min(8, Math.max(2, 4 - Math.floor(Math.log10(abs))));
}

/**
 * The decimals every price of one symbol is shown with (last, high, low, bid, ask,
 * chart axis): its tick size's when known, else from a reference price of the symbol,
 * so that the prices in a row never differ in precision.
 */
export function priceDecimals(tickSize: number | undefined, reference: number | undefined): number {
  if (tickSize !== undefined && Number.isFinite(tickSize) && tickSize > 0) return tickDecimals(tickSize);
  return magnitudeDecimals(reference ?? NaN);
}

/** A price with exactly `decimals` decimals (default: from its own magnitude). */
export function formatPrice(value: number | undefined, decimals?: number): string {
  if (value === undefined || !Number.isFinite(value)) return "–";
  const d = decimals ?? magnitudeDecimals(value);
  return value.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
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
