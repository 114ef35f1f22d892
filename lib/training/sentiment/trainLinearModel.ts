// Fits the default model: hashed features → IDF from the fit rows → L2-regularised
// multinomial logistic regression (L2 strength picked on the calibration split by
// macro-F1) → temperature scaling fitted on the calibration split. Deterministic:
// the same rows in the same order give bit-identical weights.
import type { Example } from "./datasets.ts";
import { featurize, type FeatureConfig, type SparseFeatures } from "../../nlp/sentiment/features.ts";
import { logitsOf, normalizedValues, softmax, type LinearWeights } from "./linearModel.ts";
import { trainLogisticRegression, type SparseRow } from "./logisticRegression.ts";
import { argmax, expectedCalibrationError, macroF1 } from "./metrics.ts";
import { seededPermutation } from "../../random/mulberry32.ts";

export interface WeightedExample extends Example {
  weight?: number;
}

export interface TrainOptions {
  features: FeatureConfig;
  numLabels: number;
  /** Candidate L2 strengths; the best calibration macro-F1 wins. */
  l2Grid: readonly number[];
  maxIterations?: number;
  log?: (line: string) => void;
}

export interface TrainResult {
  weights: LinearWeights;
  l2: number;
  seenBuckets: number;
  calibration: { eceBefore: number; eceAfter: number; nllBefore: number; nllAfter: number; macroF1: number };
  grid: { l2: number; macroF1: number; nll: number; iterations: number }[];
}


/** Stratified split: `fraction` of each label (seeded shuffle) goes to the second part. */
export function stratifiedSplit<T extends Example>(rows: readonly T[], fraction: number, seed: number): { first: T[]; second: T[] } {
  const order = seededPermutation(rows.length, seed);
  const byLabel = new Map<number, number[]>();
  for (const i of order) byLabel.set(rows[i]!.label, [...(byLabel.get(rows[i]!.label) ?? []), i]);
  const held = new Set<number>();
  for (const idx of byLabel.values()) idx.slice(0, Math.round(idx.length * fraction)).forEach((i) => held.add(i));
  // Keep the original order inside each part: the fit does not depend on the shuffle beyond membership.
  return { first: rows.filter((_, i) => !held.has(i)), second: rows.filter((_, i) => held.has(i)) };
}

export function meanNll(gold: readonly number[], logits: readonly Float64Array[], t: number): number {
  let s = 0;
  logits.forEach((z, i) => (s -= Math.log(Math.max(1e-300, softmax(z, t)[gold[i]!]!))));
  return s / logits.length;
}

/** Temperature minimising the calibration NLL (golden-section search on log T). */
export function fitTemperature(gold: readonly number[], logits: readonly Float64Array[]): number {
  let lo = Math.log(0.05), hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
  let fa = meanNll(gold, logits, Math.exp(a)), fb = meanNll(gold, logits, Math.exp(b));
  for (let i = 0; i < 80; i++) {
    if (fa < fb) (hi = b), (b = a), (fb = fa), (a = hi - phi * (hi - lo)), (fa = meanNll(gold, logits, Math.exp(a)));
    else (lo = a), (a = b), (fa = fb), (b = lo + phi * (hi - lo)), (fb = meanNll(gold, logits, Math.exp(b)));
  }
  // Rounded so that config.json and the graph carry the same float32 value.
  return Math.fround(Math.exp((lo + hi) / 2));
}

/** The fit rows as the optimiser takes them, plus what is needed to turn its theta into model weights. */
export interface PreparedFit {
  rows: SparseRow[];
  /** Buckets that occur in the fit rows (the only ones with weights), ascending. */
  seen: number[];
  idf: Float32Array;
  numBuckets: number;
  numLabels: number;
}

/**
 * Featurises the fit rows and computes IDF over them. IDF counts rows, not weights, so
 * the same preparation serves every crypto weight tried: only `rows[i].weight` changes.
 */
export function prepareFit(fit: readonly WeightedExample[], features: FeatureConfig, numLabels: number): PreparedFit {
  const numBuckets = 2 ** features.hashBits;
  const fitFeatures = fit.map((e) => featurize(e.text, features));
  const df = new Float64Array(numBuckets);
  for (const f of fitFeatures) for (const id of f.ids) df[id]!++;
  const idf = new Float32Array(numBuckets);
  const compact = new Int32Array(numBuckets).fill(-1);
  const seen: number[] = [];
  for (let id = 0; id < numBuckets; id++) {
    if (df[id]! > 0) {
      idf[id] = Math.log((1 + fit.length) / (1 + df[id]!)) + 1;
      compact[id] = seen.length;
      seen.push(id);
    }
  }
  const rows: SparseRow[] = fitFeatures.map((f, i) => ({
    idx: Int32Array.from(f.ids, (id) => compact[id]!),
    x: normalizedValues(f, idf),
    label: fit[i]!.label,
    weight: fit[i]!.weight ?? 1,
  }));
  return { rows, seen, idf, numBuckets, numLabels };
}

/** The optimiser's theta ([seen, labels] then biases) as full-size model weights. */
export function expandWeights(p: PreparedFit, theta: Float64Array, temperature: number): LinearWeights {
  const L = p.numLabels;
  const W = new Float32Array(p.numBuckets * L);
  p.seen.forEach((id, k) => {
    for (let c = 0; c < L; c++) W[id * L + c] = theta[k * L + c]!;
  });
  const bias = Float32Array.from({ length: L }, (_, c) => theta[p.seen.length * L + c]!);
  return { numBuckets: p.numBuckets, numLabels: L, W, idf: p.idf, bias, temperature };
}

export function trainLinearModel(fit: readonly WeightedExample[], calibration: readonly Example[], o: TrainOptions): TrainResult {
  const log = o.log ?? (() => {});
  const prepared = prepareFit(fit, o.features, o.numLabels);
  const { rows, seen, numBuckets } = prepared;
  const calFeatures: SparseFeatures[] = calibration.map((e) => featurize(e.text, o.features));
  const calGold = calibration.map((e) => e.label);
  log(`features: ${seen.length} of ${numBuckets} buckets used by ${fit.length} fit rows`);
  const expand = (theta: Float64Array, temperature: number) => expandWeights(prepared, theta, temperature);

  let best: { l2: number; weights: LinearWeights; logits: Float64Array[]; f1: number; nll: number } | null = null;
  const grid: TrainResult["grid"] = [];
  for (const l2 of o.l2Grid) {
    const model = trainLogisticRegression(rows, { numFeatures: seen.length, numLabels: o.numLabels, l2, maxIterations: o.maxIterations });
    const weights = expand(model.theta, 1);
    const logits = calFeatures.map((f) => logitsOf(f, weights));
    const f1 = macroF1(calGold, logits.map(argmax), o.numLabels);
    const nll = meanNll(calGold, logits, 1);
    grid.push({ l2, macroF1: f1, nll, iterations: model.iterations });
    log(`l2 ${l2}: calibration macro-F1 ${f1.toFixed(4)}, NLL ${nll.toFixed(4)} (${model.iterations} L-BFGS iterations)`);
    if (!best || f1 > best.f1 + 1e-12 || (Math.abs(f1 - best.f1) <= 1e-12 && nll < best.nll)) best = { l2, weights, logits, f1, nll };
  }
  if (!best) throw new Error("empty l2 grid");
  const temperature = fitTemperature(calGold, best.logits);
  const probs = (t: number) => best!.logits.map((z) => softmax(z, t));
  return {
    weights: { ...best.weights, temperature },
    l2: best.l2,
    seenBuckets: seen.length,
    grid,
    calibration: {
      eceBefore: expectedCalibrationError(calGold, probs(1)),
      eceAfter: expectedCalibrationError(calGold, probs(temperature)),
      nllBefore: best.nll,
      nllAfter: meanNll(calGold, best.logits, temperature),
      macroF1: best.f1,
    },
  };
}
