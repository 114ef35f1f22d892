// config.json of a `cryptoviz-linear` model directory: what the runtime needs to
// featurise text exactly as in training (the "tokenizer" block) and to name the
// graph's outputs, plus provenance of the training run.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SentimentLabel } from "../../../contracts/sentiment.ts";
import { lexiconSha256, type FeatureConfig } from "./features.ts";

export const LINEAR_MODEL_TYPE = "cryptoviz-linear";

export interface LinearModelConfig {
  model_type: typeof LINEAR_MODEL_TYPE;
  name: string;
  version: string;
  id2label: Record<string, SentimentLabel>;
  label2id: Record<string, number>;
  tokenizer: FeatureConfig;
  temperature: number;
  onnx: { file: string; sha256: string; inputs: string[]; outputs: string[]; opset: number };
  training: Record<string, unknown>;
}

/** Reads and checks `<dir>/config.json`; a lexicon that differs from the one trained with is an error. */
export function readLinearModelConfig(dir: string): LinearModelConfig {
  const path = join(dir, "config.json");
  const config = JSON.parse(readFileSync(path, "utf8")) as LinearModelConfig;
  if (config.model_type !== LINEAR_MODEL_TYPE) throw new Error(`${path}: model_type is "${config.model_type}", expected "${LINEAR_MODEL_TYPE}"`);
  const t = config.tokenizer;
  if (!t || t.version !== 1) throw new Error(`${path}: tokenizer.version ${t?.version} is not supported (expected 1)`);
  const labels = Object.values(config.id2label ?? {});
  for (const l of ["positive", "negative", "neutral"]) if (!labels.includes(l as SentimentLabel)) throw new Error(`${path}: id2label lacks "${l}"`);
  const lex = lexiconSha256();
  if (t.lexiconSha256 !== lex) {
    throw new Error(`${path}: tokenizer.lexiconSha256 ${t.lexiconSha256.slice(0, 12)}… differs from this code's lexicon ${lex.slice(0, 12)}…: retrain the model (npm run train:sentiment)`);
  }
  return config;
}
