// The shipped model's recipe: one linear model for headlines and social posts, fitted on
// the MIT tweets plus the project's crypto train split, where the crypto rows carry a
// weight so that the tweets' reading of business news as neutral does not drown them.
//
// Per candidate (crypto weight w, L2 strength):
//   1. fit the logistic regression on tweets (weight 1) + crypto train (weight w);
//   2. fit the temperature on the twitter calibration split (in-domain NLL, as before);
//   3. fit per-class logit offsets on the crypto dev split (classOffsets.ts);
//   4. score: crypto dev macro-F1 and twitter calibration macro-F1, both with the offsets.
// The winner has the best crypto dev macro-F1 among candidates whose twitter calibration
// macro-F1 stays within `twitterTolerance` of the best uncalibrated one in the grid: crypto
// gains must not be bought with the social posts the same model also reads.
// The crypto test split is not an input here, by construction.
import type { Example } from "./datasets.ts";
import { featurize, type FeatureConfig } from "../../nlp/sentiment/features.ts";
import { fitClassOffsets } from "./classOffsets.ts";
import { logitsOf, type LinearWeights } from "./linearModel.ts";
import { trainLogisticRegression } from "./logisticRegression.ts";
import { argmax, macroF1 } from "./metrics.ts";
import { expandWeights, fitTemperature, meanNll, prepareFit, type WeightedExample } from "./trainLinearModel.ts";

export interface CryptoDevOptions {
  features: FeatureConfig;
  numLabels: number;
  weightGrid: readonly number[];
  l2Grid: readonly number[];
  /** Largest drop in twitter calibration macro-F1 (vs the grid's best uncalibrated) a winner may have. */
  twitterTolerance: number;
  /** Prior standard deviation of each class offset, in logits. */
  offsetPriorStd: number;
  maxIterations?: number;
  log?: (line: string) => void;
}

export interface Candidate {
  weight: number;
  l2: number;
  iterations: number;
  temperature: number;
  /** Offsets added to z / T (before the softmax), fitted on crypto dev. */
  offsets: number[];
  dev: { macroF1Raw: number; macroF1: number; nll: number };
  twitter: { macroF1Raw: number; macroF1: number; nll: number };
  eligible: boolean;
}

export interface CryptoDevResult {
  /** The winner's weights, offsets folded into the bias (so the ONNX graph is unchanged). */
  weights: LinearWeights;
  chosen: Candidate;
  candidates: Candidate[];
  twitterReference: number;
  seenBuckets: number;
}

/** Logits z / T + δ, the quantity whose softmax the shipped model outputs. */
function shifted(logits: readonly Float64Array[], temperature: number, offsets: ArrayLike<number>): Float64Array[] {
  return logits.map((z) => Float64Array.from(z, (v, c) => v / temperature + offsets[c]!));
}

/** Offsets δ fitted on z / T, folded into the raw bias: (z + T·δ) / T = z / T + δ. */
export function foldOffsets(weights: LinearWeights, offsets: ArrayLike<number>): LinearWeights {
  const bias = Float32Array.from(weights.bias, (b, c) => b + weights.temperature * offsets[c]!);
  return { ...weights, bias };
}

export function trainWithCryptoDev(
  data: { twitterFit: readonly Example[]; twitterCalibration: readonly Example[]; cryptoTrain: readonly Example[]; cryptoDev: readonly Example[] },
  o: CryptoDevOptions,
): CryptoDevResult {
  const log = o.log ?? (() => {});
  const fit: WeightedExample[] = [...data.twitterFit, ...data.cryptoTrain];
  const isCrypto = (i: number) => i >= data.twitterFit.length;
  const prepared = prepareFit(fit, o.features, o.numLabels);
  log(`features: ${prepared.seen.length} of ${prepared.numBuckets} buckets used by ${fit.length} fit rows`);
  const calFeatures = data.twitterCalibration.map((e) => featurize(e.text, o.features));
  const devFeatures = data.cryptoDev.map((e) => featurize(e.text, o.features));
  const calGold = data.twitterCalibration.map((e) => e.label);
  const devGold = data.cryptoDev.map((e) => e.label);
  const f1 = (gold: readonly number[], z: readonly Float64Array[]) => macroF1(gold, z.map(argmax), o.numLabels);

  const candidates: (Candidate & { weights: LinearWeights })[] = [];
  for (const weight of o.weightGrid) {
    const rows = prepared.rows.map((r, i) => ({ ...r, weight: isCrypto(i) ? weight : 1 }));
    for (const l2 of o.l2Grid) {
      const model = trainLogisticRegression(rows, { numFeatures: prepared.seen.length, numLabels: o.numLabels, l2, maxIterations: o.maxIterations });
      const raw = expandWeights(prepared, model.theta, 1);
      const calLogits = calFeatures.map((f) => logitsOf(f, raw));
      const devLogits = devFeatures.map((f) => logitsOf(f, raw));
      const temperature = fitTemperature(calGold, calLogits);
      const devScaled = shifted(devLogits, temperature, new Array<number>(o.numLabels).fill(0));
      const offsets = Array.from(fitClassOffsets(devGold, devScaled, { numLabels: o.numLabels, priorStd: o.offsetPriorStd }).offsets);
      const devShifted = shifted(devLogits, temperature, offsets);
      const calShifted = shifted(calLogits, temperature, offsets);
      const c = {
        weight,
        l2,
        iterations: model.iterations,
        temperature,
        offsets,
        dev: { macroF1Raw: f1(devGold, devLogits), macroF1: f1(devGold, devShifted), nll: meanNll(devGold, devShifted, 1) },
        twitter: { macroF1Raw: f1(calGold, calLogits), macroF1: f1(calGold, calShifted), nll: meanNll(calGold, calShifted, 1) },
        eligible: false,
        weights: foldOffsets({ ...raw, temperature }, offsets),
      };
      candidates.push(c);
      log(
        `w ${weight} l2 ${l2}: dev macro-F1 ${c.dev.macroF1Raw.toFixed(4)} → ${c.dev.macroF1.toFixed(4)} with offsets [${offsets.map((v) => v.toFixed(3)).join(", ")}]; ` +
          `twitter cal ${c.twitter.macroF1Raw.toFixed(4)} → ${c.twitter.macroF1.toFixed(4)}; T ${temperature.toFixed(3)} (${model.iterations} it)`,
      );
    }
  }
  const twitterReference = Math.max(...candidates.map((c) => c.twitter.macroF1Raw));
  for (const c of candidates) c.eligible = c.twitter.macroF1 >= twitterReference - o.twitterTolerance;
  // Best dev macro-F1; ties go to the lower dev NLL, then to the smaller weight (grid order).
  let best: (typeof candidates)[number] | undefined;
  for (const c of candidates) {
    if (!c.eligible) continue;
    if (!best || c.dev.macroF1 > best.dev.macroF1 + 1e-12 || (Math.abs(c.dev.macroF1 - best.dev.macroF1) <= 1e-12 && c.dev.nll < best.dev.nll)) best = c;
  }
  if (!best) throw new Error(`no candidate keeps twitter calibration macro-F1 within ${o.twitterTolerance} of ${twitterReference.toFixed(4)}`);
  const strip = ({ weights: _w, ...c }: (typeof candidates)[number]): Candidate => c;
  return { weights: best.weights, chosen: strip(best), candidates: candidates.map(strip), twitterReference, seenBuckets: prepared.seen.length };
}
