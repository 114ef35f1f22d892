// Classification metrics used by the trainer, the evaluation script and the model card.

export interface Scores {
  n: number;
  accuracy: number;
  macroF1: number;
  /** Expected calibration error (15 equal-width confidence bins), when probabilities are given. */
  ece?: number;
}

export function accuracy(gold: readonly number[], pred: readonly number[]): number {
  let ok = 0;
  gold.forEach((g, i) => (ok += g === pred[i] ? 1 : 0));
  return gold.length ? ok / gold.length : 0;
}

/** Unweighted mean of per-class F1 over the classes present in gold or predictions. */
export function macroF1(gold: readonly number[], pred: readonly number[], numLabels: number): number {
  let sum = 0;
  let classes = 0;
  for (let c = 0; c < numLabels; c++) {
    let tp = 0, fp = 0, fn = 0;
    gold.forEach((g, i) => {
      if (pred[i] === c && g === c) tp++;
      else if (pred[i] === c) fp++;
      else if (g === c) fn++;
    });
    if (tp + fp + fn === 0) continue;
    classes++;
    sum += (2 * tp) / (2 * tp + fp + fn);
  }
  return classes ? sum / classes : 0;
}

export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

/** Expected calibration error of the top-label confidence. */
export function expectedCalibrationError(gold: readonly number[], probs: readonly ArrayLike<number>[], bins = 15): number {
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hit = new Array<number>(bins).fill(0);
  probs.forEach((p, i) => {
    const c = argmax(p);
    const b = Math.min(bins - 1, Math.floor(p[c]! * bins));
    count[b]!++;
    conf[b]! += p[c]!;
    hit[b]! += c === gold[i] ? 1 : 0;
  });
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]) ece += Math.abs(hit[b]! - conf[b]!) / probs.length;
  return ece;
}

export function score(gold: readonly number[], probs: readonly ArrayLike<number>[], numLabels: number): Scores {
  const pred = probs.map(argmax);
  return { n: gold.length, accuracy: accuracy(gold, pred), macroF1: macroF1(gold, pred, numLabels), ece: expectedCalibrationError(gold, probs) };
}
