// Multinomial logistic regression on sparse rows, fitted to the exact optimum by
// full-batch L-BFGS: no learning rate, no shuffling, so a fixed input gives
// bit-identical weights on every run.

export interface SparseRow {
  /** Column indices (compact, 0..numFeatures-1). */
  idx: Int32Array;
  x: Float64Array;
  label: number;
  /** Sample weight (1 unless a set is deliberately up-weighted). */
  weight: number;
}

export interface LogRegOptions {
  numFeatures: number;
  numLabels: number;
  /** L2 penalty on the weights (not the bias), per unit of mean loss. */
  l2: number;
  maxIterations?: number;
  tolerance?: number;
}

export interface LogRegModel {
  numFeatures: number;
  numLabels: number;
  /** [numFeatures, numLabels] then numLabels biases. */
  theta: Float64Array;
  iterations: number;
  loss: number;
}

function lossAndGradient(rows: readonly SparseRow[], o: LogRegOptions, theta: Float64Array, grad: Float64Array): number {
  const L = o.numLabels;
  const biasAt = o.numFeatures * L;
  grad.fill(0);
  let loss = 0;
  let total = 0;
  const z = new Float64Array(L);
  for (const r of rows) total += r.weight;
  for (const r of rows) {
    for (let c = 0; c < L; c++) z[c] = theta[biasAt + c]!;
    for (let j = 0; j < r.idx.length; j++) {
      const base = r.idx[j]! * L;
      for (let c = 0; c < L; c++) z[c]! += r.x[j]! * theta[base + c]!;
    }
    let max = -Infinity;
    for (let c = 0; c < L; c++) max = Math.max(max, z[c]!);
    let sum = 0;
    for (let c = 0; c < L; c++) sum += z[c] = Math.exp(z[c]! - max);
    const w = r.weight / total;
    loss -= w * Math.log(z[r.label]! / sum);
    for (let c = 0; c < L; c++) {
      const d = w * (z[c]! / sum - (c === r.label ? 1 : 0));
      grad[biasAt + c]! += d;
      for (let j = 0; j < r.idx.length; j++) grad[r.idx[j]! * L + c]! += d * r.x[j]!;
    }
  }
  for (let i = 0; i < biasAt; i++) {
    loss += 0.5 * o.l2 * theta[i]! * theta[i]!;
    grad[i]! += o.l2 * theta[i]!;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function trainLogisticRegression(rows: readonly SparseRow[], o: LogRegOptions): LogRegModel {
  const n = o.numFeatures * o.numLabels + o.numLabels;
  const maxIter = o.maxIterations ?? 500;
  const tol = o.tolerance ?? 1e-6;
  const m = 10;
  let x = new Float64Array(n);
  let g = new Float64Array(n);
  let f = lossAndGradient(rows, o, x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  let it = 0;
  for (; it < maxIter; it++) {
    if (Math.sqrt(dot(g, g)) < tol) break;
    // Two-loop recursion: d = -H·g.
    const q = Float64Array.from(g);
    const alpha: number[] = [];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(S[k]!, q);
      for (let i = 0; i < n; i++) q[i]! -= alpha[k]! * Y[k]![i]!;
    }
    const gamma = S.length ? dot(S[S.length - 1]!, Y[Y.length - 1]!) / dot(Y[Y.length - 1]!, Y[Y.length - 1]!) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) q[i]! *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k]! * dot(Y[k]!, q);
      for (let i = 0; i < n; i++) q[i]! += S[k]![i]! * (alpha[k]! - beta);
    }
    const d = q.map((v) => -v);
    let gd = dot(g, d);
    if (gd >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      gd = dot(g, d);
    }
    // Backtracking line search (Armijo).
    let step = 1;
    const xn = new Float64Array(n);
    const gn = new Float64Array(n);
    let fn = 0;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xn[i] = x[i]! + step * d[i]!;
      fn = lossAndGradient(rows, o, xn, gn);
      if (fn <= f + 1e-4 * step * gd) break;
      step *= 0.5;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xn[i]! - x[i]!;
      y[i] = gn[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const converged = Math.abs(f - fn) < 1e-10 * Math.max(1, Math.abs(f));
    x = xn;
    g = gn;
    f = fn;
    if (converged) break;
  }
  return { numFeatures: o.numFeatures, numLabels: o.numLabels, theta: x, iterations: it, loss: f };
}

/** Probabilities of one row under a fitted model (temperature 1). */
export function predictRow(model: LogRegModel, idx: Int32Array, x: Float64Array): Float64Array {
  const L = model.numLabels;
  const z = new Float64Array(L);
  for (let c = 0; c < L; c++) z[c] = model.theta[model.numFeatures * L + c]!;
  for (let j = 0; j < idx.length; j++) for (let c = 0; c < L; c++) z[c]! += x[j]! * model.theta[idx[j]! * L + c]!;
  const max = Math.max(...z);
  let sum = 0;
  for (let c = 0; c < L; c++) sum += z[c] = Math.exp(z[c]! - max);
  for (let c = 0; c < L; c++) z[c]! /= sum;
  return z;
}
