// Stratified k-fold splitting for the in-domain evaluation protocol
// (scripts/eval-sentiment.ts --cv). Seeded, so a run is reproducible.
import { seededPermutation } from "../../random/mulberry32.ts";

/**
 * Row indices of each of `k` test folds. Each label's rows are shuffled (seeded) and
 * dealt round-robin, so every fold has about 1/k of every label. The deal continues
 * across labels, which keeps the fold sizes within one of each other. Rows sharing a
 * `groups` key (e.g. the same headline text) go to the same fold as one unit, under
 * the label of their first row: SemEval repeats a headline once per company it names,
 * and a copy on both sides of a split would score memorisation. Indices inside a fold
 * are ascending, so training sets keep the data's own order.
 */
export function stratifiedKFold(labels: readonly number[], k: number, seed: number, groups?: readonly string[]): number[][] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratifiedKFold: k must be an integer ≥ 2, got ${k}`);
  if (groups && groups.length !== labels.length) throw new Error("stratifiedKFold: groups and labels differ in length");
  const units: number[][] = [];
  const unitOf = new Map<string, number>();
  labels.forEach((_, i) => {
    const key = groups ? groups[i]! : String(i);
    let u = unitOf.get(key);
    if (u === undefined) unitOf.set(key, (u = units.push([]) - 1));
    units[u]!.push(i);
  });
  if (units.length < k) throw new Error(`stratifiedKFold: ${units.length} rows (or groups) cannot fill ${k} folds`);
  const order = seededPermutation(units.length, seed);
  const byLabel = new Map<number, number[]>();
  for (const u of order) {
    const l = labels[units[u]![0]!]!;
    if (!byLabel.has(l)) byLabel.set(l, []);
    byLabel.get(l)!.push(u);
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  // Labels in numeric order: the map's insertion order depends on the shuffle, this does not.
  for (const l of [...byLabel.keys()].sort((a, b) => a - b)) for (const u of byLabel.get(l)!) folds[next++ % k]!.push(...units[u]!);
  return folds.map((f) => f.sort((a, b) => a - b));
}

/** Mean and sample standard deviation (n − 1) of per-fold figures. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, std };
}
