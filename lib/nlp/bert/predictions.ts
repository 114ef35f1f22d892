// Turns one row of logits into a SentimentPrediction: softmax, then the
// probabilities of outputs that share a sentiment are added up.
import type { SentimentPrediction } from "../types.ts";
import type { SentimentLabel } from "../../../contracts/sentiment.ts";

export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]!);
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i]! - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** `labels[i]` is the sentiment of output i; a sentiment no output carries scores 0. */
export function toPrediction(logits: ArrayLike<number>, labels: readonly SentimentLabel[]): SentimentPrediction {
  const scores: Record<SentimentLabel, number> = { positive: 0, negative: 0, neutral: 0 };
  softmax(logits).forEach((p, i) => (scores[labels[i]!] += p));
  // Ties go to the first of positive, negative, neutral: deterministic.
  const label = (Object.keys(scores) as SentimentLabel[]).reduce((best, l) => (scores[l] > scores[best] ? l : best), "positive");
  return { label, scores };
}
