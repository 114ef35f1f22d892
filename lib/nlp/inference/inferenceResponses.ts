// The response side of the Hugging Face Inference API shapes, so that
// `@huggingface/inference` (or any HF client) reads our functions' answers.
import type { Keyword, SentimentPrediction } from "../types.ts";

/** text-classification: one `[{label, score}]` list per input, highest score first. */
export type TextClassificationItem = { label: string; score: number };

export function textClassificationOutput(p: SentimentPrediction): TextClassificationItem[] {
  return Object.entries(p.scores)
    .map(([label, score]) => ({ label, score }))
    .sort((a, b) => b.score - a.score);
}

/** summarization: `{summary_text}` per input. */
export const summarizationOutput = (summary: string) => ({ summary_text: summary });

/** token-classification: HF's aggregated entity shape, one per key phrase or entity. */
export interface TokenClassificationItem {
  entity_group: string;
  score: number;
  word: string;
  start: number;
  end: number;
}

export function tokenClassificationOutput(keywords: readonly Keyword[]): TokenClassificationItem[] {
  return keywords.map((k) => ({ entity_group: k.type, score: k.score, word: k.text, start: k.start, end: k.end }));
}
