// Runtime of the default model: reads config.json, featurises with the same code
// and settings as the trainer, and runs model.onnx in one onnxruntime session
// created once per load. Texts are classified in padded batches.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import type { SentimentClassifier, SentimentPrediction } from "../types.ts";
import type { SentimentLabel } from "../../../contracts/sentiment.ts";
import { featurize } from "./features.ts";
import { padBatch } from "./padBatch.ts";
import { readLinearModelConfig } from "./modelConfig.ts";

export interface LinearModelOptions {
  /** onnxruntime intra-op threads (1 = one core; Lambda functions usually have one or two). */
  intraOpNumThreads?: number;
  /** Texts per session run (default 256). */
  batchSize?: number;
}

export async function loadLinearSentimentModel(dir: string, options: LinearModelOptions = {}): Promise<SentimentClassifier> {
  const config = readLinearModelConfig(dir);
  const modelPath = join(dir, config.onnx?.file ?? "model.onnx");
  const session = await ort.InferenceSession.create(readFileSync(modelPath), {
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  const labels = Object.entries(config.id2label)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, l]) => l);
  const batchSize = Math.max(1, options.batchSize ?? 256);
  let closed = false;

  async function run(texts: readonly string[]): Promise<SentimentPrediction[]> {
    const padded = padBatch(texts.map((t) => featurize(t, config.tokenizer)));
    const out = await session.run({
      feature_ids: new ort.Tensor("int64", padded.ids, [padded.batch, padded.width]),
      feature_weights: new ort.Tensor("float32", padded.weights, [padded.batch, padded.width]),
    }, ["probabilities"]);
    const probs = out.probabilities!.data as Float32Array;
    return texts.map((_, r) => {
      const scores = { positive: 0, negative: 0, neutral: 0 } as Record<SentimentLabel, number>;
      let best = 0;
      labels.forEach((l, c) => {
        scores[l] = probs[r * labels.length + c]!;
        if (scores[l] > probs[r * labels.length + best]!) best = c;
      });
      return { label: labels[best]!, scores };
    });
  }

  return {
    name: `${config.name}-v${config.version}`,
    async classify(texts) {
      if (closed) throw new Error(`${config.name}: classify after close`);
      const out: SentimentPrediction[] = [];
      for (let i = 0; i < texts.length; i += batchSize) out.push(...(await run(texts.slice(i, i + batchSize))));
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}
