// The reference the model card compares against: TF-IDF over word uni+bigrams
// (scikit-learn's TfidfVectorizer defaults: token pattern \b\w\w+\b, lower case,
// smooth idf, L2 norm) + multinomial logistic regression. Its C is picked by the
// caller from a grid: the cross-domain table fits it on exactly the rows the
// shipped model is fitted on, the in-domain protocol (inDomainCv.ts) on each fold's
// training rows.
import type { Example } from "./datasets.ts";
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
 * Fits the baseline with C = cGrid[0], or, given calibration rows and several C values,
 * with the C whose calibration macro-F1 is best (the same selection the shipped model gets).
 */
export function trainTfidfLrBaseline(train: readonly Example[], numLabels: number, cGrid: readonly number[] = [1], calibration: readonly Example[] = []): TfidfLrBaseline {
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
  const rows: SparseRow[] = docs.map((counts, i) => ({ ...vectorize(counts), label: train[i]!.label, weight: 1 }));
  const predictWith = (model: LogRegModel) => (text: string) => {
    const counts = new Map<string, number>();
    for (const g of grams(text)) counts.set(g, (counts.get(g) ?? 0) + 1);
    const { idx, x } = vectorize(counts);
    return predictRow(model, idx, x);
  };
  let best: TfidfLrBaseline | null = null;
  let bestF1 = -1;
  for (const C of cGrid) {
    // sklearn minimises ½‖W‖² + C·Σ loss; per unit of mean loss that is l2 = 1 / (C·n).
    const predict = predictWith(trainLogisticRegression(rows, { numFeatures: vocab.size, numLabels, l2: 1 / (C * n) }));
    const f1 = cGrid.length > 1 ? macroF1(calibration.map((e) => e.label), calibration.map((e) => argmax(predict(e.text))), numLabels) : 0;
    if (f1 > bestF1) (bestF1 = f1), (best = { vocabularySize: vocab.size, C, predict });
  }
  return best!;
}
