// The reference the model card compares against: TF-IDF over word uni+bigrams
// (scikit-learn's TfidfVectorizer defaults: token pattern \b\w\w+\b, lower case,
// smooth idf, L2 norm) + multinomial logistic regression. Its C is picked by the
// caller from a grid: the cross-domain table fits it on exactly the rows the
// shipped model is fitted on, the in-domain protocol (inDomainCv.ts) on each fold's
// training rows.
import type { Example } from "./datasets.ts";
import type { WeightedExample } from "./trainLinearModel.ts";
import { argmax, macroF1 } from "./metrics.ts";
import { predictRow, trainLogisticRegression, type LogRegModel, type SparseRow } from "./logisticRegression.ts";

export interface TfidfLrBaseline {
  predict(text: string): Float64Array;
  vocabularySize: number;
  C: number;
}

function grams(text: string): string[] {
  const words = text.toLowerCase().match(/\b\w\w+\b/gu) ?? [];
  const out = [...words];
  for (let i = 1; i < words.length; i++) out.push(`${words[i - 1]} ${words[i]}`);
  return out;
}

/**
 * Fits the baseline with C = cGrid[0], or, given several C values, with the C whose
 * `select` score is best (ties to the earlier C). By default the score is macro-F1 on the
 * calibration rows; the cross-domain table passes the shipped model's crypto-dev rule.
 * Row weights (`weight`, default 1) enter the loss as in the shipped model's fit.
 */
export function trainTfidfLrBaseline(
  train: readonly WeightedExample[],
  numLabels: number,
  cGrid: readonly number[] = [1],
  calibration: readonly Example[] = [],
  select?: (predict: (text: string) => Float64Array) => number,
): TfidfLrBaseline {
  const vocab = new Map<string, number>();
  const df: number[] = [];
  const docs = train.map((e) => {
    const counts = new Map<string, number>();
    for (const g of grams(e.text)) counts.set(g, (counts.get(g) ?? 0) + 1);
    for (const g of counts.keys()) {
      let id = vocab.get(g);
      if (id === undefined) vocab.set(g, (id = vocab.size));
      df[id] = (df[id] ?? 0) + 1;
    }
    return counts;
  });
  const n = train.length;
  const idf = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
  const vectorize = (counts: Map<string, number>) => {
    const pairs: [number, number][] = [];
    for (const [g, c] of counts) {
      const id = vocab.get(g);
      if (id !== undefined) pairs.push([id, c * idf[id]!]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(pairs.reduce((s, [, v]) => s + v * v, 0)) || 1;
    return { idx: Int32Array.from(pairs, (p) => p[0]), x: Float64Array.from(pairs, (p) => p[1] / norm) };
  };
  const rows: SparseRow[] = docs.map((counts, i) => ({ ...vectorize(counts), label: train[i]!.label, weight: train[i]!.weight ?? 1 }));
  const predictWith = (model: LogRegModel) => (text: string) => {
    const counts = new Map<string, number>();
    for (const g of grams(text)) counts.set(g, (counts.get(g) ?? 0) + 1);
    const { idx, x } = vectorize(counts);
    return predictRow(model, idx, x);
  };
  const totalWeight = rows.reduce((s, r) => s + r.weight, 0);
  let best: TfidfLrBaseline | null = null;
  let bestF1 = -1;
  for (const C of cGrid) {
    // sklearn minimises ½‖W‖² + C·Σ wᵢ·lossᵢ; per unit of weighted mean loss that is l2 = 1 / (C·Σw).
    const predict = predictWith(trainLogisticRegression(rows, { numFeatures: vocab.size, numLabels, l2: 1 / (C * totalWeight) }));
    const f1 = cGrid.length <= 1 ? 0 : select ? select(predict) : macroF1(calibration.map((e) => e.label), calibration.map((e) => argmax(predict(e.text))), numLabels);
    if (f1 > bestF1) (bestF1 = f1), (best = { vocabularySize: vocab.size, C, predict });
  }
  return best!;
}
