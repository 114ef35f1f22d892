// Trains the default sentiment model and writes models/cryptoviz-sentiment/{model.onnx,config.json}.
//   npm run train:sentiment [-- --out <dir>] [--data <dir>] [--crypto <tsv>] [--seed <n>]
// Reproducible: fixed seed, deterministic order, no clock in the output; it prints
// the sha256 of what it wrote, and two runs give identical bytes.
// Trains only on the MIT-licensed twitter_financial_news_sentiment set plus the
// project's own crypto headlines (see the model card for why and how).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { LABELS, readCryptoHeadlines, readTwitterCsv, sentimentDataDir } from "../lib/training/sentiment/datasets.ts";
import { defaultFeatureConfig } from "../lib/nlp/sentiment/features.ts";
import { stratifiedSplit, trainLinearModel, type WeightedExample } from "../lib/training/sentiment/trainLinearModel.ts";
import { sha256, writeLinearModelDir } from "../lib/training/sentiment/writeLinearModelDir.ts";

const MODEL_VERSION = "1.0.0";
/** Share of the twitter training file held out for L2 selection and temperature scaling. */
const CALIBRATION_FRACTION = 0.15;
/** The crypto rows are few (115) against 8k tweets; counting each twice keeps them audible. */
const CRYPTO_WEIGHT = 2;
const L2_GRID = [4e-6, 8e-6, 1.6e-5, 3.2e-5, 6.4e-5];

let args;
try {
  args = parseArgs({
    options: { out: { type: "string", default: "models/cryptoviz-sentiment" }, data: { type: "string" }, crypto: { type: "string" }, seed: { type: "string", default: "20171" } },
  }).values;
} catch (e) {
  console.error(`train-sentiment: ${(e as Error).message}`);
  process.exit(1);
}
const seed = Number(args.seed);
if (!Number.isInteger(seed)) {
  console.error(`train-sentiment: --seed must be an integer, got "${args.seed}"`);
  process.exit(1);
}
const dataDir = args.data ?? sentimentDataDir();
const outDir = args.out!;

const twitterPath = join(dataDir, "twitter_financial_news_sentiment", "sent_train.csv");
const cryptoPath = args.crypto ?? join("models", "cryptoviz-sentiment", "data", "crypto_headlines.tsv");
const twitter = readTwitterCsv(twitterPath);
const crypto = readCryptoHeadlines(cryptoPath);
const { first: twitterFit, second: calibration } = stratifiedSplit(twitter, CALIBRATION_FRACTION, seed);
const fit: WeightedExample[] = [...twitterFit, ...crypto.train.map((e) => ({ ...e, weight: CRYPTO_WEIGHT }))];
console.log(`fit: ${twitterFit.length} twitter + ${crypto.train.length} crypto rows; calibration: ${calibration.length} twitter rows (seed ${seed})`);

const features = defaultFeatureConfig();
const t0 = performance.now();
const result = trainLinearModel(fit, calibration, { features, numLabels: LABELS.length, l2Grid: L2_GRID, log: (l) => console.log(l) });
const c = result.calibration;
console.log(`chosen l2 ${result.l2}; temperature ${result.weights.temperature.toFixed(4)}; calibration ECE ${c.eceBefore.toFixed(4)} → ${c.eceAfter.toFixed(4)}, NLL ${c.nllBefore.toFixed(4)} → ${c.nllAfter.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);

const written = writeLinearModelDir(outDir, {
  weights: result.weights,
  features,
  name: "cryptoviz-sentiment",
  version: MODEL_VERSION,
  training: {
    script: "scripts/train-sentiment.ts",
    seed,
    data: [
      { file: relative(dataDir, twitterPath), rows: twitter.length, sha256: sha256(readFileSync(twitterPath)), license: "MIT", use: `fit (${twitterFit.length}) + calibration (${calibration.length}), stratified split` },
      { file: cryptoPath, rows: crypto.train.length, sha256: sha256(readFileSync(cryptoPath)), license: "project", use: `fit (split=train rows only, weight ${CRYPTO_WEIGHT})` },
    ],
    model: "multinomial logistic regression, full-batch L-BFGS",
    l2: result.l2,
    l2Grid: result.grid,
    calibration: { method: "temperature scaling", fraction: CALIBRATION_FRACTION, ...c },
    bucketsUsed: result.seenBuckets,
  },
});
console.log(`wrote ${join(outDir, "model.onnx")} (${(written.onnxBytes / 1e6).toFixed(2)} MB) sha256 ${written.onnxSha256}`);
console.log(`wrote ${join(outDir, "config.json")} sha256 ${written.configSha256}`);
