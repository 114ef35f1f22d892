// Default sentiment model throughput on one core, tokenisation included:
//   npm run bench -- sentiment [--quick]
// Prints model file size, load time, headlines/s at batch sizes 1/32/256, and the
// share of time spent in featurisation. Headlines come from the project's own crypto set
// v2 (train and dev splits, offline), cycled to the run length.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { defaultSentimentModelDir } from "../lib/nlp/loadSentimentClassifier.ts";
import { readCryptoHeadlineSet } from "../lib/training/sentiment/cryptoHeadlineSet.ts";
import { featurize } from "../lib/nlp/sentiment/features.ts";
import { loadLinearSentimentModel } from "../lib/nlp/sentiment/loadLinearSentimentModel.ts";
import { readLinearModelConfig } from "../lib/nlp/sentiment/modelConfig.ts";

const quick = process.argv.includes("--quick");
const dir = defaultSentimentModelDir();
const total = quick ? 2_000 : 20_000;

const { train, dev } = readCryptoHeadlineSet(join(dir, "data", "crypto_headlines_v2.tsv"), ["train", "dev"]);
const base = [...train, ...dev].map((e) => e.text);
// Vary the texts a little so that nothing is trivially cached.
const texts = Array.from({ length: total }, (_, i) => `${base[i % base.length]} ${i % 7 === 0 ? `(${i})` : ""}`.trim());

const onnxBytes = statSync(join(dir, "model.onnx")).size;
const configBytes = readFileSync(join(dir, "config.json")).length;
console.log(`model ${dir}: model.onnx ${(onnxBytes / 1e6).toFixed(2)} MB, config.json ${(configBytes / 1e3).toFixed(1)} kB`);

const loads: number[] = [];
for (let i = 0; i < (quick ? 3 : 10); i++) {
  const t0 = performance.now();
  const m = await loadLinearSentimentModel(dir, { intraOpNumThreads: 1 });
  loads.push(performance.now() - t0);
  await m.close();
}
const first = loads[0]!;
const rest = loads.slice(1).sort((a, b) => a - b);
console.log(`load (read config + model, create session, intraOp 1): first in process ${first.toFixed(0)} ms, then median ${rest[Math.floor(rest.length / 2)]!.toFixed(1)} ms`);

const config = readLinearModelConfig(dir);
let t0 = performance.now();
for (const t of texts) featurize(t, config.tokenizer);
const featMs = performance.now() - t0;
console.log(`featurisation alone: ${(total / (featMs / 1000)).toFixed(0)} headlines/s`);

for (const batch of [1, 32, 256]) {
  const model = await loadLinearSentimentModel(dir, { intraOpNumThreads: 1, batchSize: batch });
  await model.classify(texts.slice(0, batch)); // warm-up
  t0 = performance.now();
  for (let i = 0; i < total; i += batch) await model.classify(texts.slice(i, i + batch));
  const s = (performance.now() - t0) / 1000;
  console.log(`batch ${String(batch).padStart(3)}: ${(total / s).toFixed(0).padStart(6)} headlines/s (${((s * 1e6) / total).toFixed(0)} µs/headline, tokenisation included, 1 intra-op thread)`);
  await model.close();
}
