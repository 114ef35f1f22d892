// NlpServices in this process: the benchmark, tests and single-process
// deployments that skip the inference functions.
import { extractKeywords } from "../../nlp/keywords.ts";
import { summarize } from "../../nlp/summarize.ts";
import type { SentimentClassifier } from "../../nlp/types.ts";
import type { NlpServices } from "./NlpServices.ts";

export function localNlpServices(classifier: SentimentClassifier): NlpServices {
  return {
    sentiment: (texts) => classifier.classify(texts),
    summarize: async (text) => summarize(text),
    keywords: async (text) => extractKeywords(text),
  };
}
