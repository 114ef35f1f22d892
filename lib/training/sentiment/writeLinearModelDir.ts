// Writes a `cryptoviz-linear` model directory (model.onnx + config.json) from
// trained weights: used by the training script and by the tests' tiny models, so
// both go through the same export.
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LABELS } from "./datasets.ts";
import type { FeatureConfig } from "../../nlp/sentiment/features.ts";
import { buildLinearOnnx, type LinearWeights } from "./linearModel.ts";
import { LINEAR_MODEL_TYPE, type LinearModelConfig } from "../../nlp/sentiment/modelConfig.ts";

export interface WrittenModel {
  onnxBytes: number;
  onnxSha256: string;
  configSha256: string;
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function writeLinearModelDir(
  dir: string,
  m: { weights: LinearWeights; features: FeatureConfig; name: string; version: string; training: Record<string, unknown> },
): WrittenModel {
  const onnx = buildLinearOnnx(m.weights, m.name, { name: m.name, version: m.version, lexicon_sha256: m.features.lexiconSha256, labels: LABELS.join(",") });
  const config: LinearModelConfig = {
    model_type: LINEAR_MODEL_TYPE,
    name: m.name,
    version: m.version,
    id2label: Object.fromEntries(LABELS.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(LABELS.map((l, i) => [l, i])),
    tokenizer: m.features,
    temperature: m.weights.temperature,
    onnx: { file: "model.onnx", sha256: sha256(onnx), inputs: ["feature_ids", "feature_weights"], outputs: ["probabilities", "logits"], opset: 17 },
    training: m.training,
  };
  // No clock, no absolute paths: the same weights give the same bytes.
  const configText = JSON.stringify(config, null, 2) + "\n";
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "model.onnx"), onnx);
  writeFileSync(join(dir, "config.json"), configText);
  return { onnxBytes: onnx.length, onnxSha256: sha256(onnx), configSha256: sha256(configText) };
}
