/**
 * Parses a number as a page shows it: `$1,234.56`, `-2.31 %`, `1.234,5 €`,
 * `$ 1.23B` (with `units`). Currency signs, spaces and percent signs are dropped;
 * the group separator is whichever of `.`/`,` is not the decimal one.
 */
const UNITS: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, bn: 1e9, t: 1e12 };

export function parseFormattedNumber(text: string, options: { decimal?: "." | ","; units?: boolean } = {}): number {
  const decimal = options.decimal ?? ".";
  const group = decimal === "." ? "," : ".";
  let s = text.trim().replace(/[\u2212\u2013]/g, "-");
  const negative = /^[^\d]*[-(]/.test(s); // -12, $-12, (12.00) accounting style
  let multiplier = 1;
  if (options.units) {
    const unit = /(\d)\s*(bn|[kmbt])\b/i.exec(s);
    if (unit) {
      multiplier = UNITS[unit[2]!.toLowerCase()]!;
      s = s.slice(0, unit.index + 1);
    }
  }
  s = s.split(group).join("").replace(decimal, "#").replace(/[^\d#]/g, "").replace("#", ".");
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(s)) throw new Error(`"${text}" is not a number`);
  const value = Number(s) * multiplier * (negative ? -1 : 1);
  if (!Number.isFinite(value)) throw new Error(`"${text}" is not a finite number`);
  // Unit multiplication can leave binary noise (1.23 * 1e9); keep 12 significant digits.
  return multiplier === 1 ? value : Number(value.toPrecision(12));
}
