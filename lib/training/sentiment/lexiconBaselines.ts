// The word-list baselines of the evaluation table, as the field runs them: AFINN through
// the npm `sentiment` package (MIT) and VADER through `vader-sentiment` (Apache-2.0),
// each with its authors' usual three-way mapping. They need no training, so they score
// every set exactly as a user of those packages would see it.
import Sentiment from "sentiment";
import vader from "vader-sentiment";
import { labelIndex } from "./datasets.ts";

export interface LabelBaseline {
  name: string;
  /** Label index (LABELS order) of one text. */
  label(text: string): number;
}

/** VADER's documented thresholds: compound ≥ 0.05 positive, ≤ −0.05 negative. */
export const VADER_THRESHOLD = 0.05;

const afinn = new Sentiment();

/** AFINN-165 sum of word scores (with the package's negation handling): > 0 positive, < 0 negative, 0 neutral. */
export const afinnBaseline: LabelBaseline = {
  name: "AFINN (sentiment)",
  label(text) {
    const s = afinn.analyze(text).score;
    return labelIndex(s > 0 ? "positive" : s < 0 ? "negative" : "neutral");
  },
};

export const vaderBaseline: LabelBaseline = {
  name: "VADER (vader-sentiment)",
  label(text) {
    const c = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
    return labelIndex(c >= VADER_THRESHOLD ? "positive" : c <= -VADER_THRESHOLD ? "negative" : "neutral");
  },
};
