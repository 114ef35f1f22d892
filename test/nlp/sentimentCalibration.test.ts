// The maths of the crypto recipe on data small enough to know the answer: sample weights
// in the logistic regression, class-offset calibration, folding the offsets into the bias,
// and the template (cluster) bootstrap.
import assert from "node:assert/strict";
import { test } from "node:test";
import { classBalancedWeights, fitClassOffsets } from "../../lib/training/sentiment/classOffsets.ts";
import { foldOffsets } from "../../lib/training/sentiment/cryptoDevSelection.ts";
import { logitsOf, type LinearWeights } from "../../lib/training/sentiment/linearModel.ts";
import { trainLogisticRegression, type SparseRow } from "../../lib/training/sentiment/logisticRegression.ts";
import { accuracyByGroup, groupBootstrap, percentile } from "../../lib/training/sentiment/templateBootstrap.ts";

const row = (idx: number[], x: number[], label: number, weight = 1): SparseRow => ({ idx: Int32Array.from(idx), x: Float64Array.from(x), label, weight });
const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => Array.from(a).every((v, i) => Math.abs(v - b[i]!) < tol);

test("sample weights: a row of weight 3 fits exactly like the row written three times", () => {
  const base = [row([0], [1], 0), row([1], [1], 1), row([0, 1], [0.6, 0.8], 2), row([1], [1], 2)];
  const special = row([0, 2], [0.8, 0.6], 1);
  const o = { numFeatures: 3, numLabels: 3, l2: 0.01, maxIterations: 500, tolerance: 1e-10 };
  const weighted = trainLogisticRegression([...base, { ...special, weight: 3 }], o);
  const repeated = trainLogisticRegression([...base, special, special, special], o);
  assert.ok(close(weighted.theta, repeated.theta, 1e-6), `${weighted.theta} vs ${repeated.theta}`);
  const unweighted = trainLogisticRegression([...base, special], o);
  assert.ok(!close(weighted.theta, unweighted.theta, 1e-3), "the weight changes the fit");
});

test("classBalancedWeights: each present class gets the same total weight, mean weight 1", () => {
  const w = classBalancedWeights([0, 1, 1, 1, 2, 2], 3);
  assert.ok(close(w, [2, 2 / 3, 2 / 3, 2 / 3, 1, 1], 1e-12));
  assert.ok(close(classBalancedWeights([1, 1, 2], 3), [0.75, 0.75, 1.5], 1e-12), "absent classes are ignored");
});

// Constant logits: the model knows nothing, so the offsets alone set the prior.
const gold = [0, 1, 1, 2, 2, 2, 2, 2, 2, 2];
const zeros = gold.map(() => [0, 0, 0]);

test("fitClassOffsets, row-weighted with a vague prior: softmax(offsets) is the label frequency", () => {
  const { offsets } = fitClassOffsets(gold, zeros, { numLabels: 3, priorStd: 1e6, balanced: false });
  const e = offsets.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  assert.ok(close(e.map((v) => v / s), [0.1, 0.2, 0.7], 1e-6), `${offsets}`);
  assert.ok(Math.abs(offsets.reduce((a, b) => a + b, 0)) < 1e-9, "the ridge centres the offsets");
});

test("fitClassOffsets, class-balanced: the dev label mix is not copied (a uniform prior)", () => {
  const { offsets } = fitClassOffsets(gold, zeros, { numLabels: 3, priorStd: 1e6 });
  assert.ok(close(offsets, [0, 0, 0], 1e-6), `${offsets}`);
});

test("fitClassOffsets: undoes a constant shift of one class, and the prior shrinks it", () => {
  // Informative logits with a +1.5 bias towards neutral, as a tweet-trained model has on crypto news.
  const rows = 60;
  const g = Array.from({ length: rows }, (_, i) => i % 3);
  const z = g.map((l, i) => [0, 1, 2].map((c) => (c === l ? 2 : 0) + (c === 2 ? 1.5 : 0) + 0.3 * Math.sin(i + c)));
  const vague = fitClassOffsets(g, z, { numLabels: 3, priorStd: 1e6 }).offsets;
  // Centred, the +1.5 on neutral is +1 against the mean: the fit removes it (≈ [0.5, 0.5, −1]).
  assert.ok(close(vague, [0.5, 0.5, -1], 0.05), `${vague}`);
  const tight = fitClassOffsets(g, z, { numLabels: 3, priorStd: 0.05 }).offsets;
  assert.ok(Math.abs(tight[2]!) < Math.abs(vague[2]!) / 2, `prior sd 0.05 gives ${tight}`);
  assert.deepEqual(fitClassOffsets(g, z, { numLabels: 3 }).offsets, fitClassOffsets(g, z, { numLabels: 3 }).offsets, "deterministic");
  assert.throws(() => fitClassOffsets([0], [], { numLabels: 3 }), /1 labels for 0 logit rows/);
});

test("foldOffsets: the folded bias gives softmax input z / T + offset, so the ONNX graph needs no new node", () => {
  const m: LinearWeights = { numBuckets: 4, numLabels: 3, W: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0.5, 0.5, 0]), idf: Float32Array.from([1, 1, 1, 1]), bias: Float32Array.from([0.1, -0.2, 0.3]), temperature: 0.8 };
  const offsets = [0.5, -0.25, -0.25];
  const folded = foldOffsets(m, offsets);
  const f = { ids: Int32Array.from([0, 3]), values: Float32Array.from([1, 2]) };
  const before = logitsOf(f, m);
  const after = logitsOf(f, folded);
  assert.ok(close(after.map((v) => v / m.temperature), before.map((v, c) => v / m.temperature + offsets[c]!), 1e-6));
  assert.equal(folded.temperature, m.temperature);
});

test("groupBootstrap: deterministic, all-correct gives [1, 1], clustered errors widen the interval", () => {
  // 20 templates of 5 rows; 6 templates entirely wrong.
  const groups = Array.from({ length: 100 }, (_, i) => `t${Math.floor(i / 5)}`);
  const g = groups.map((_, i) => i % 3);
  const wrong = (i: number) => Math.floor(i / 5) < 6;
  const p = g.map((l, i) => (wrong(i) ? (l + 1) % 3 : l));
  const o = { numLabels: 3, resamples: 1000, seed: 5 };
  const clustered = groupBootstrap(g, p, groups, o);
  assert.deepEqual(clustered, groupBootstrap(g, p, groups, o));
  assert.equal(clustered.groups, 20);
  assert.ok(clustered.accuracy.low < 0.7 && clustered.accuracy.high > 0.7, `${JSON.stringify(clustered.accuracy)}`);
  const perRow = groupBootstrap(g, p, groups.map((_, i) => `r${i}`), o);
  const width = (iv: { low: number; high: number }) => iv.high - iv.low;
  assert.ok(width(clustered.accuracy) > 1.5 * width(perRow.accuracy), `template ${width(clustered.accuracy)} vs row ${width(perRow.accuracy)}`);
  const perfect = groupBootstrap(g, g, groups, o);
  assert.deepEqual([perfect.accuracy.low, perfect.accuracy.high, perfect.macroF1.low, perfect.macroF1.high], [1, 1, 1, 1]);
});

test("percentile and accuracyByGroup", () => {
  assert.equal(percentile([1, 2, 3, 4, 5], 0.5), 3);
  assert.equal(percentile([0, 10], 0.25), 2.5);
  assert.deepEqual(accuracyByGroup([0, 1, 2, 2], [0, 2, 2, 1], ["b", "a", "b", "a"]), [
    { group: "a", n: 2, accuracy: 0 },
    { group: "b", n: 2, accuracy: 1 },
  ]);
});
