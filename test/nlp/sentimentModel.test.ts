import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { readCryptoHeadlines, type Example } from "../../lib/training/sentiment/datasets.ts";
import { defaultFeatureConfig, featurize } from "../../lib/nlp/sentiment/features.ts";
import { forward, type LinearWeights } from "../../lib/training/sentiment/linearModel.ts";
import { loadLinearSentimentModel } from "../../lib/nlp/sentiment/loadLinearSentimentModel.ts";
import { stratifiedSplit, trainLinearModel } from "../../lib/training/sentiment/trainLinearModel.ts";
import { sha256, writeLinearModelDir } from "../../lib/training/sentiment/writeLinearModelDir.ts";
import type { SentimentClassifier } from "../../lib/nlp/types.ts";

const MODEL_DIR = "models/cryptoviz-sentiment";
const crypto = readCryptoHeadlines(join(MODEL_DIR, "data", "crypto_headlines.tsv"));
const tmp = mkdtempSync(join(tmpdir(), "sentiment-model-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A tiny, fast training run on the project's crypto rows (small hash space). */
function tinyTraining(rows: readonly Example[]) {
  const features = defaultFeatureConfig({ hashBits: 12 });
  const { first, second } = stratifiedSplit(rows, 0.2, 7);
  const result = trainLinearModel(first, second, { features, numLabels: 3, l2Grid: [1e-3, 1e-2], maxIterations: 100 });
  return { features, result };
}

test("ONNX model outputs match the trainer's TypeScript forward pass (max abs diff < 1e-5)", async () => {
  const { features, result } = tinyTraining(crypto.train);
  const dir = join(tmp, "tiny");
  writeLinearModelDir(dir, { weights: result.weights, features, name: "tiny", version: "0.0.1", training: { seed: 7 } });
  const model = await loadLinearSentimentModel(dir, { intraOpNumThreads: 1, batchSize: 16 });
  const texts = [...crypto.test.map((e) => e.text), "", "unseen words only zyxw qwvx", "Bitcoin"];
  const reference = forward(texts.map((t) => featurize(t, features)), result.weights);
  const preds = await model.classify(texts);
  let maxDiff = 0;
  preds.forEach((p, i) => {
    ["negative", "positive", "neutral"].forEach((l, c) => (maxDiff = Math.max(maxDiff, Math.abs(p.scores[l as "positive"] - reference[i]![c]!))));
  });
  assert.ok(maxDiff < 1e-5, `max abs diff ${maxDiff}`);
  await model.close();
});

test("training is deterministic: two runs write identical bytes", () => {
  const a = tinyTraining(crypto.train);
  const b = tinyTraining(crypto.train);
  const wa = writeLinearModelDir(join(tmp, "a"), { weights: a.result.weights, features: a.features, name: "t", version: "0", training: {} });
  const wb = writeLinearModelDir(join(tmp, "b"), { weights: b.result.weights, features: b.features, name: "t", version: "0", training: {} });
  assert.equal(wa.onnxSha256, wb.onnxSha256);
  assert.equal(wa.configSha256, wb.configSha256);
  assert.ok(a.result.weights.temperature > 0);
});

test("temperature scaling does not change the winning label and lowers calibration NLL", () => {
  const { result } = tinyTraining(crypto.train);
  assert.ok(result.calibration.nllAfter <= result.calibration.nllBefore + 1e-12);
  const w: LinearWeights = { ...result.weights, temperature: 1 };
  const f = crypto.test.map((e) => featurize(e.text, defaultFeatureConfig({ hashBits: 12 })));
  const argmax = (p: Float64Array) => p.indexOf(Math.max(...p));
  assert.deepEqual(forward(f, w).map(argmax), forward(f, result.weights).map(argmax));
});

let shipped: SentimentClassifier;
before(async () => {
  shipped = await loadLinearSentimentModel(MODEL_DIR, { intraOpNumThreads: 1 });
});
after(async () => shipped?.close());

test("the shipped model: config.json names the exact model.onnx it was written with", () => {
  const config = JSON.parse(readFileSync(join(MODEL_DIR, "config.json"), "utf8")) as { onnx: { sha256: string }; model_type: string };
  assert.equal(config.model_type, "cryptoviz-linear");
  assert.equal(sha256(readFileSync(join(MODEL_DIR, "model.onnx"))), config.onnx.sha256);
});

test("the shipped model: scores sum to 1, batches equal single calls, order is kept", async () => {
  const texts = crypto.test.map((e) => e.text);
  const batch = await shipped.classify(texts);
  assert.equal(batch.length, texts.length);
  for (const p of batch) {
    const sum = p.scores.positive + p.scores.negative + p.scores.neutral;
    assert.ok(Math.abs(sum - 1) < 1e-6, `sum ${sum}`);
    assert.equal(p.label, (Object.entries(p.scores).sort((a, b) => b[1] - a[1])[0]![0]));
  }
  for (const i of [0, 17, 44]) {
    const [single] = await shipped.classify([texts[i]!]);
    assert.equal(single!.label, batch[i]!.label);
    for (const l of ["positive", "negative", "neutral"] as const) assert.ok(Math.abs(single!.scores[l] - batch[i]!.scores[l]) < 1e-6);
  }
  assert.deepEqual(await shipped.classify([]), []);
});

test("the shipped model: crypto vocabulary on clear cases", async () => {
  const cases: [string, string][] = [
    ["Exchange drained in $200M hack", "negative"],
    ["SEC approves spot bitcoin ETF", "positive"],
    ["Developers vanish in rug pull, token down 95%", "negative"],
    ["Stablecoin depegs as bank run hits issuer", "negative"],
    ["Binance delists three tokens", "negative"],
    ["Bitcoin sets new all-time high", "positive"],
    ["Crypto lender files for bankruptcy", "negative"],
    ["Coinbase lists new token, price jumps 30%", "positive"],
    ["Bitcoin halving scheduled for next April", "neutral"],
  ];
  const preds = await shipped.classify(cases.map((c) => c[0]));
  cases.forEach(([text, label], i) => assert.equal(preds[i]!.label, label, `${text}: ${JSON.stringify(preds[i]!.scores)}`));
});
