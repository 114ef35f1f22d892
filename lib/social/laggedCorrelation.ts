// Pure: Pearson's correlation of a social series with returns at several lags.
// Lag k pairs the series at bucket t with the return at bucket t + k: k > 0
// asks whether social activity leads the price, k < 0 whether it follows it.
import type { LaggedCorrelation } from "../../contracts/api.ts";

/** Lags computed by default: three buckets either way. */
export const DEFAULT_LAGS = [-3, -2, -1, 0, 1, 2, 3] as const;

/** Pearson's r of paired values; null with fewer than 3 pairs or a constant side. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError(`pearson: ${n} x values, ${ys.length} y values`);
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** r for each lag over the buckets where both the series (at t) and the return (at t + lag) are known. */
export function laggedCorrelation(series: readonly (number | null)[], returns: readonly (number | null)[], lags: readonly number[] = DEFAULT_LAGS): LaggedCorrelation[] {
  return lags.map((lag) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let t = 0; t < series.length; t++) {
      const x = series[t];
      const y = returns[t + lag];
      if (x == null || y == null) continue;
      xs.push(x);
      ys.push(y);
    }
    return { lag, r: pearson(xs, ys), n: xs.length };
  });
}
