// Class-bias calibration: one additive offset per class on the logits, fitted on a small
// in-domain set (the crypto dev split). It moves the model's label prior towards crypto
// news without touching any feature weight, so a few hundred rows are enough: only
// numLabels − 1 numbers are free (a common shift changes no probability).
//
// Two guards against fitting the dev set's own label mix, which need not be crypto news's
// (dev is ~41 % positive; an independent set looked ~51 %):
// - class-balanced NLL: each class carries the same total weight, so the offsets aim at a
//   uniform prior rather than dev's proportions;
// - a Gaussian prior on the offsets (ridge, `priorStd` logits), so they stay small when the
//   evidence is thin. The ridge also makes the optimum unique, with offsets summing to 0.
// Fitted by Newton's method on a convex objective: deterministic, no learning rate.

export interface ClassOffsetOptions {
  numLabels: number;
  /** Standard deviation of the Gaussian prior on each offset, in logits (default 1). */
  priorStd?: number;
  /** Weight each class equally (default true); false weights each row equally. */
  balanced?: boolean;
  maxIterations?: number;
}

export interface ClassOffsets {
  offsets: Float64Array;
  /** Objective value at the optimum (mean weighted NLL + ridge). */
  objective: number;
  iterations: number;
}

/** Row weights that give each class present the same total weight (mean weight 1). */
export function classBalancedWeights(gold: readonly number[], numLabels: number): Float64Array {
  const counts = new Array<number>(numLabels).fill(0);
  for (const g of gold) counts[g]!++;
  const present = counts.filter((c) => c > 0).length;
  return Float64Array.from(gold, (g) => gold.length / (present * counts[g]!));
}

function softmaxInto(z: ArrayLike<number>, delta: Float64Array, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < out.length; c++) max = Math.max(max, z[c]! + delta[c]!);
  let sum = 0;
  for (let c = 0; c < out.length; c++) sum += out[c] = Math.exp(z[c]! + delta[c]! - max);
  for (let c = 0; c < out.length; c++) out[c]! /= sum;
}

/** Objective, gradient and Hessian of the weighted NLL of softmax(z + δ) plus ridge, at δ. */
function evaluate(gold: readonly number[], logits: readonly ArrayLike<number>[], w: Float64Array, delta: Float64Array, ridge: number) {
  const L = delta.length;
  const grad = new Float64Array(L);
  const hess = new Float64Array(L * L);
  const p = new Float64Array(L);
  let total = 0;
  for (const v of w) total += v;
  let f = 0;
  logits.forEach((z, i) => {
    softmaxInto(z, delta, p);
    const wi = w[i]! / total;
    f -= wi * Math.log(Math.max(1e-300, p[gold[i]!]!));
    for (let a = 0; a < L; a++) {
      grad[a]! += wi * (p[a]! - (a === gold[i] ? 1 : 0));
      for (let b = 0; b < L; b++) hess[a * L + b]! += wi * p[a]! * ((a === b ? 1 : 0) - p[b]!);
    }
  });
  for (let a = 0; a < L; a++) {
    f += 0.5 * ridge * delta[a]! * delta[a]!;
    grad[a]! += ridge * delta[a]!;
    hess[a * L + a]! += ridge;
  }
  return { f, grad, hess };
}

/** Solves H x = g by Gaussian elimination with partial pivoting (H is small and positive definite). */
function solve(H: Float64Array, g: Float64Array): Float64Array {
  const n = g.length;
  const A = Float64Array.from(H);
  const x = Float64Array.from(g);
  for (let k = 0; k < n; k++) {
    let piv = k;
    for (let r = k + 1; r < n; r++) if (Math.abs(A[r * n + k]!) > Math.abs(A[piv * n + k]!)) piv = r;
    if (piv !== k) {
      for (let c = 0; c < n; c++) [A[k * n + c], A[piv * n + c]] = [A[piv * n + c]!, A[k * n + c]!];
      [x[k], x[piv]] = [x[piv]!, x[k]!];
    }
    for (let r = k + 1; r < n; r++) {
      const m = A[r * n + k]! / A[k * n + k]!;
      for (let c = k; c < n; c++) A[r * n + c]! -= m * A[k * n + c]!;
      x[r]! -= m * x[k]!;
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let s = x[k]!;
    for (let c = k + 1; c < n; c++) s -= A[k * n + c]! * x[c]!;
    x[k] = s / A[k * n + k]!;
  }
  return x;
}

/** Offsets δ minimising the (class-balanced) NLL of softmax(logits + δ) on the rows given, plus the ridge. */
export function fitClassOffsets(gold: readonly number[], logits: readonly ArrayLike<number>[], o: ClassOffsetOptions): ClassOffsets {
  if (gold.length === 0 || gold.length !== logits.length) throw new Error(`fitClassOffsets: ${gold.length} labels for ${logits.length} logit rows`);
  const priorStd = o.priorStd ?? 1;
  // Prior N(0, priorStd²) per offset, as a penalty per unit of mean loss over the rows.
  const ridge = 1 / (priorStd * priorStd * gold.length);
  const w = o.balanced === false ? new Float64Array(gold.length).fill(1) : classBalancedWeights(gold, o.numLabels);
  let delta = new Float64Array(o.numLabels);
  let cur = evaluate(gold, logits, w, delta, ridge);
  let it = 0;
  for (; it < (o.maxIterations ?? 100); it++) {
    // The objective is flat along a common shift (up to the tiny ridge); adding 1·1ᵀ makes the
    // system well conditioned without changing the step inside the sum-zero subspace, where
    // the gradient lives.
    const H = Float64Array.from(cur.hess, (v) => v + 1);
    const step = solve(H, cur.grad);
    // Damped Newton: halve the step until the objective does not rise (it is convex, so this ends).
    let t = 1;
    let next = delta;
    let trial = cur;
    for (let k = 0; k < 50; k++) {
      next = Float64Array.from(delta, (d, c) => d - t * step[c]!);
      // Centring changes no probability and can only lower the ridge: keep Σδ = 0 exactly.
      const mean = next.reduce((a, b) => a + b, 0) / next.length;
      next = next.map((v) => v - mean);
      trial = evaluate(gold, logits, w, next, ridge);
      if (trial.f <= cur.f) break;
      t /= 2;
    }
    const moved = Math.max(...Array.from(next, (v, c) => Math.abs(v - delta[c]!)));
    delta = next;
    cur = trial;
    if (moved < 1e-12) break;
  }
  return { offsets: delta, objective: cur.f, iterations: it };
}
