import assert from "node:assert/strict";
import { test } from "node:test";
import { meanStd, stratifiedKFold } from "../../lib/training/sentiment/crossValidation.ts";

// Unbalanced like the real sets (PhraseBank is 61 % neutral), with a label count not divisible by k.
const labels = [...Array(23).fill(0), ...Array(41).fill(1), ...Array(97).fill(2)].map((l, i) => (i % 7 === 0 ? 2 : l) as number);

test("stratifiedKFold: disjoint folds that cover every row, each holding about 1/k of every label", () => {
  const folds = stratifiedKFold(labels, 5, 42);
  assert.equal(folds.length, 5);
  const all = folds.flat().sort((a, b) => a - b);
  assert.deepEqual(all, labels.map((_, i) => i)); // every row exactly once: disjoint and covering
  for (const f of folds) assert.deepEqual(f, [...f].sort((a, b) => a - b));
  const sizes = folds.map((f) => f.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `fold sizes ${sizes}`);
  for (const label of [0, 1, 2]) {
    const perFold = folds.map((f) => f.filter((i) => labels[i] === label).length);
    assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `label ${label} per fold ${perFold}`);
  }
});

test("stratifiedKFold: deterministic for a seed, different for another", () => {
  assert.deepEqual(stratifiedKFold(labels, 5, 7), stratifiedKFold(labels, 5, 7));
  assert.notDeepEqual(stratifiedKFold(labels, 5, 7), stratifiedKFold(labels, 5, 8));
});

test("stratifiedKFold: rows sharing a group key land in the same fold", () => {
  const groups = labels.map((_, i) => `text ${i % 40}`); // every text repeated about four times
  const folds = stratifiedKFold(labels, 5, 3, groups);
  assert.deepEqual(folds.flat().sort((a, b) => a - b), labels.map((_, i) => i));
  const foldOf = new Map<number, number>();
  folds.forEach((f, k) => f.forEach((i) => foldOf.set(i, k)));
  for (let i = 0; i < labels.length; i++) assert.equal(foldOf.get(i), foldOf.get(i % 40), `row ${i} and its group`);
});

test("stratifiedKFold: rejects k < 2 and too few rows", () => {
  assert.throws(() => stratifiedKFold(labels, 1, 1), /k must be/);
  assert.throws(() => stratifiedKFold([0, 1], 5, 1), /cannot fill/);
});

test("meanStd: sample standard deviation", () => {
  const { mean, std } = meanStd([1, 2, 3, 4]);
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(std - Math.sqrt(5 / 3)) < 1e-12);
});
