// The in-domain protocol of SOURCES.md: stratified k-fold cross-validation inside one
// dataset, with our method and the TF-IDF + LR baseline both trained on the training
// folds only. Each picks its regularisation on an inner stratified split of the
// training folds (by macro-F1), then is refitted on all training folds with that value.
// The models are EVALUATION-ONLY and are dropped after scoring: PhraseBank, SemEval and
// FiQA may not train a shipped model, so nothing here may be written to models/.
import { trainTfidfLrBaseline } from "./baseline.ts";
import { stratifiedKFold, meanStd } from "./crossValidation.ts";
import type { Example } from "./datasets.ts";
import { featurize, type FeatureConfig } from "../../nlp/sentiment/features.ts";
import { logitsOf } from "./linearModel.ts";
import { accuracy, argmax, macroF1 } from "./metrics.ts";
import { stratifiedSplit, trainLinearModel } from "./trainLinearModel.ts";

export interface CvOptions {
  folds: number;
  seed: number;
  /** Share of the training folds held out to pick L2 / C. */
  innerFraction: number;
  features: FeatureConfig;
  numLabels: number;
  l2Grid: readonly number[];
  cGrid: readonly number[];
  maxIterations?: number;
  log?: (line: string) => void;
}

export interface FoldScores {
  n: number;
  ours: { accuracy: number; macroF1: number; l2: number };
  baseline: { accuracy: number; macroF1: number; C: number };
}

export interface CvSummary {
  n: number;
  folds: FoldScores[];
  ours: { accuracy: { mean: number; std: number }; macroF1: { mean: number; std: number } };
  baseline: { accuracy: { mean: number; std: number }; macroF1: { mean: number; std: number } };
}

function scores(gold: readonly number[], pred: readonly number[], numLabels: number) {
  return { accuracy: accuracy(gold, pred), macroF1: macroF1(gold, pred, numLabels) };
}

export function crossValidate(examples: readonly Example[], o: CvOptions): CvSummary {
  const log = o.log ?? (() => {});
  const folds: FoldScores[] = [];
  // Identical headlines stay in one fold (SemEval repeats one per company it names).
  const groups = examples.map((e) => e.text.trim().replace(/\s+/gu, " ").toLowerCase());
  stratifiedKFold(examples.map((e) => e.label), o.folds, o.seed, groups).forEach((testIdx, f) => {
    const held = new Set(testIdx);
    const train = examples.filter((_, i) => !held.has(i));
    const test = testIdx.map((i) => examples[i]!);
    const gold = test.map((e) => e.label);
    // The inner split is row-level: a repeated headline on both sides only sways the choice of L2 / C, for both methods alike.
    const inner = stratifiedSplit(train, o.innerFraction, o.seed + f);

    // Ours: the shipped model's features and trainer; temperature is fitted but cannot change an argmax.
    const lin = { features: o.features, numLabels: o.numLabels, maxIterations: o.maxIterations };
    const { l2 } = trainLinearModel(inner.first, inner.second, { ...lin, l2Grid: o.l2Grid });
    const { weights } = trainLinearModel(train, inner.second, { ...lin, l2Grid: [l2] });
    const ours = scores(gold, test.map((e) => argmax(logitsOf(featurize(e.text, o.features), weights))), o.numLabels);

    const { C } = trainTfidfLrBaseline(inner.first, o.numLabels, o.cGrid, inner.second);
    const base = trainTfidfLrBaseline(train, o.numLabels, [C]);
    const baseline = scores(gold, test.map((e) => argmax(base.predict(e.text))), o.numLabels);

    folds.push({ n: test.length, ours: { ...ours, l2 }, baseline: { ...baseline, C } });
    log(`  fold ${f + 1}/${o.folds}: ours acc ${ours.accuracy.toFixed(3)} F1 ${ours.macroF1.toFixed(3)} (l2 ${l2}); TF-IDF+LR acc ${baseline.accuracy.toFixed(3)} F1 ${baseline.macroF1.toFixed(3)} (C ${C})`);
  });
  const agg = (pick: (f: FoldScores) => number) => meanStd(folds.map(pick));
  return {
    n: examples.length,
    folds,
    ours: { accuracy: agg((f) => f.ours.accuracy), macroF1: agg((f) => f.ours.macroF1) },
    baseline: { accuracy: agg((f) => f.baseline.accuracy), macroF1: agg((f) => f.baseline.macroF1) },
  };
}
