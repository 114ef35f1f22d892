// Confidence intervals for a test set whose rows come in clusters. The crypto set's rows
// are realisations of story templates, and rows of one template succeed or fail together,
// so resampling single rows would understate the noise. This resamples whole templates
// with replacement (a cluster bootstrap) and reads the 2.5th and 97.5th percentiles.
import { mulberry32 } from "../../random/mulberry32.ts";
import { accuracy, macroF1 } from "./metrics.ts";

export interface Interval {
  low: number;
  high: number;
}

export interface BootstrapOptions {
  numLabels: number;
  resamples?: number;
  seed?: number;
  /** Two-sided coverage (default 0.95). */
  level?: number;
}

/** Percentile of sorted values, linearly interpolated. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Percentile intervals of accuracy and macro-F1 over `resamples` draws of whole groups. */
export function groupBootstrap(
  gold: readonly number[],
  pred: readonly number[],
  groups: readonly string[],
  o: BootstrapOptions,
): { accuracy: Interval; macroF1: Interval; groups: number } {
  if (gold.length !== pred.length || gold.length !== groups.length) throw new Error("groupBootstrap: gold, pred and groups differ in length");
  const members = new Map<string, number[]>();
  groups.forEach((g, i) => members.set(g, [...(members.get(g) ?? []), i]));
  // Sorted keys: the draw does not depend on the order rows happen to come in.
  const units = [...members.keys()].sort().map((k) => members.get(k)!);
  const rand = mulberry32(o.seed ?? 20171);
  const accs: number[] = [];
  const f1s: number[] = [];
  for (let b = 0; b < (o.resamples ?? 2000); b++) {
    const g: number[] = [];
    const p: number[] = [];
    for (let k = 0; k < units.length; k++) {
      for (const i of units[Math.floor(rand() * units.length)]!) g.push(gold[i]!), p.push(pred[i]!);
    }
    accs.push(accuracy(g, p));
    f1s.push(macroF1(g, p, o.numLabels));
  }
  const tail = (1 - (o.level ?? 0.95)) / 2;
  const interval = (v: number[]): Interval => {
    v.sort((a, b) => a - b);
    return { low: percentile(v, tail), high: percentile(v, 1 - tail) };
  };
  return { accuracy: interval(accs), macroF1: interval(f1s), groups: units.length };
}

/** Accuracy and row count inside each group (e.g. event type), groups in name order. */
export function accuracyByGroup(gold: readonly number[], pred: readonly number[], groups: readonly string[]): { group: string; n: number; accuracy: number }[] {
  const by = new Map<string, { n: number; ok: number }>();
  groups.forEach((g, i) => {
    const e = by.get(g) ?? { n: 0, ok: 0 };
    e.n++;
    e.ok += gold[i] === pred[i] ? 1 : 0;
    by.set(g, e);
  });
  return [...by.keys()].sort().map((group) => ({ group, n: by.get(group)!.n, accuracy: by.get(group)!.ok / by.get(group)!.n }));
}
