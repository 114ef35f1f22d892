// Geometry for the small inline charts (sparklines, bars): pure, so it is tested without a DOM.

/** An SVG path through `values`, scaled into width × height (y grows downwards); "" for < 2 points. */
export function sparklinePath(values: readonly number[], width: number, height: number, pad = 1): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < 2) return "";
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const span = max - min || 1;
  const stepX = (width - 2 * pad) / (finite.length - 1);
  return finite
    .map((v, i) => {
      const x = pad + i * stepX;
      const y = pad + (height - 2 * pad) * (1 - (v - min) / span);
      return `${i === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(" ");
}

/** Each value as a fraction of the largest (0 when all are 0 or missing). */
export function barFractions(values: readonly number[]): number[] {
  const max = Math.max(0, ...values.filter((v) => Number.isFinite(v)));
  return values.map((v) => (max > 0 && Number.isFinite(v) && v > 0 ? v / max : 0));
}
