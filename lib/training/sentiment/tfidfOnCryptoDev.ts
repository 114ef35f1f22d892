// The TF-IDF + LR baseline given the shipped model's crypto recipe, so that the table
// compares methods and not recipes: the same fit rows (tweets + crypto train) with the
// same crypto weight, C picked by crypto dev macro-F1 after class offsets, and class
// offsets fitted on crypto dev in the same way. (The baseline is spared the shipped
// model's twitter-calibration guard, which can only help it on crypto.)
import { trainTfidfLrBaseline, type TfidfLrBaseline } from "./baseline.ts";
import { fitClassOffsets } from "./classOffsets.ts";
import type { Example } from "./datasets.ts";
import { argmax, macroF1 } from "./metrics.ts";
import type { WeightedExample } from "./trainLinearModel.ts";

export interface CalibratedBaseline extends TfidfLrBaseline {
  offsets: number[];
  predict(text: string): Float64Array;
}

/** Log-probabilities are logits up to a per-row constant, so offsets apply to them as to a linear model's. */
function logProbs(p: Float64Array): Float64Array {
  return p.map((v) => Math.log(Math.max(1e-300, v)));
}

function softmax(z: Float64Array): Float64Array {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

export function trainTfidfLrOnCryptoDev(
  fit: readonly WeightedExample[],
  cryptoDev: readonly Example[],
  o: { numLabels: number; cGrid: readonly number[]; offsetPriorStd: number },
): CalibratedBaseline {
  const gold = cryptoDev.map((e) => e.label);
  const offsetsFor = (predict: (t: string) => Float64Array) => {
    const z = cryptoDev.map((e) => logProbs(predict(e.text)));
    return { z, offsets: fitClassOffsets(gold, z, { numLabels: o.numLabels, priorStd: o.offsetPriorStd }).offsets };
  };
  const select = (predict: (t: string) => Float64Array) => {
    const { z, offsets } = offsetsFor(predict);
    return macroF1(gold, z.map((row) => argmax(row.map((v, c) => v + offsets[c]!))), o.numLabels);
  };
  const base = trainTfidfLrBaseline(fit, o.numLabels, o.cGrid, [], select);
  const { offsets } = offsetsFor(base.predict);
  return {
    ...base,
    offsets: Array.from(offsets),
    predict: (text) => softmax(logProbs(base.predict(text)).map((v, c) => v + offsets[c]!)),
  };
}
