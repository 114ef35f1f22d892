// The three inference tasks over in-process models, answering in the Hugging
// Face Inference API shapes (single input → the single-input shape, a list →
// one answer per input).
import { z } from "zod";
import { extractKeywords } from "../keywords.ts";
import { summarize } from "../summarize.ts";
import { CHARS_PER_TOKEN } from "../summaryLimits.ts";
import type { SentimentClassifier } from "../types.ts";
import type { InferenceTask } from "./inferenceRoute.ts";
import { summarizationOutput, textClassificationOutput, tokenClassificationOutput } from "./inferenceResponses.ts";

export function sentimentTask(classifier: () => Promise<SentimentClassifier>): InferenceTask<{ top_k?: number }> {
  return {
    name: "sentiment",
    parameters: z.strictObject({ top_k: z.number().int().min(1).max(3).optional() }),
    async run({ texts, parameters }) {
      const predictions = await (await classifier()).classify(texts);
      // HF answers text-classification with a list per input, even for one input.
      return predictions.map((p) => textClassificationOutput(p).slice(0, parameters.top_k ?? 3));
    },
  };
}

export const summarizationParameters = z.strictObject({
  max_sentences: z.number().int().min(1).max(20).optional(),
  max_chars: z.number().int().min(40).max(5000).optional(),
  // Hugging Face's summarization parameters, so that a caller written for an
  // abstractive endpoint can call this one unchanged. An extractive summary
  // reads the whole input and is made of whole sentences: truncation and
  // min_length change nothing; max_length (tokens) bounds the characters.
  truncation: z.union([z.boolean(), z.enum(["do_not_truncate", "longest_first", "only_first", "only_second"])]).optional(),
  max_length: z.number().int().min(10).max(1024).optional(),
  min_length: z.number().int().min(0).max(1024).optional(),
  clean_up_tokenization_spaces: z.boolean().optional(),
});

export function summarizationTask(): InferenceTask<z.infer<typeof summarizationParameters>> {
  return {
    name: "summarization",
    parameters: summarizationParameters,
    async run({ texts, parameters }) {
      const fromTokens = parameters.max_length !== undefined ? parameters.max_length * CHARS_PER_TOKEN : undefined;
      const maxChars = parameters.max_chars ?? fromTokens;
      return texts.map((text) =>
        summarizationOutput(
          summarize(text, {
            ...(parameters.max_sentences !== undefined ? { maxSentences: parameters.max_sentences } : {}),
            ...(maxChars !== undefined ? { maxChars } : {}),
          }),
        ),
      );
    },
  };
}

export function keywordsTask(): InferenceTask<{ top_k?: number }> {
  return {
    name: "keywords",
    parameters: z.strictObject({ top_k: z.number().int().min(1).max(50).optional() }),
    async run({ texts, single, parameters }) {
      const lists = texts.map((text) => tokenClassificationOutput(extractKeywords(text, { limit: parameters.top_k ?? 10 })));
      // HF's token-classification answer for one input is a flat list.
      return single ? lists[0] : lists;
    },
  };
}
