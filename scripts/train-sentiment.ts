// Trains the default sentiment model and writes models/cryptoviz-sentiment/{model.onnx,config.json}.
//   npm run train:sentiment [-- --out <dir>] [--data <dir>] [--crypto <tsv>] [--seed <n>]
// Reproducible: fixed seed, deterministic order, no clock in the output; it prints
// the sha256 of what it wrote, and two runs give identical bytes.
// Trains only on the MIT-licensed twitter_financial_news_sentiment set plus the train
// split of the project's own crypto headline set v2; the crypto dev split picks the
// crypto weight and L2 and calibrates the class biases. The crypto test split is never
// read here (see the model card for why and how).
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { LABELS, readTwitterCsv, sentimentDataDir } from "../lib/training/sentiment/datasets.ts";
import { readCryptoHeadlineSet } from "../lib/training/sentiment/cryptoHeadlineSet.ts";
import { defaultFeatureConfig } from "../lib/nlp/sentiment/features.ts";
import { trainWithCryptoDev } from "../lib/training/sentiment/cryptoDevSelection.ts";
import { stratifiedSplit } from "../lib/training/sentiment/trainLinearModel.ts";
import { sha256, writeLinearModelDir } from "../lib/training/sentiment/writeLinearModelDir.ts";

const MODEL_VERSION = "2.0.0";
/** Share of the twitter training file held out for the temperature and the in-domain guard. */
const CALIBRATION_FRACTION = 0.15;
/** Crypto row weights tried: 1,188 crypto rows against 8,112 tweets, so up to ~7× the tweets' total weight. */
const CRYPTO_WEIGHT_GRID = [1, 2, 4, 8, 16, 32];
const L2_GRID = [4e-6, 8e-6, 1.6e-5, 3.2e-5, 6.4e-5];
/**
 * A winner may lose at most this much twitter calibration macro-F1: the same model reads social
 * posts, and the financial sets may lose at most 0.02 macro-F1. A first run at 0.02 here lost
 * 0.024 on twitter valid, so the guard was tightened to 0.01 (model card, "How dev was used").
 */
const TWITTER_TOLERANCE = 0.01;
/** Prior standard deviation of each class offset (logits): keeps the dev label mix from being copied. */
const OFFSET_PRIOR_STD = 1;

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
const cryptoPath = args.crypto ?? join("models", "cryptoviz-sentiment", "data", "crypto_headlines_v2.tsv");
const twitter = readTwitterCsv(twitterPath);
// Only train and dev: the held-out test split is not even parsed into memory here.
const crypto = readCryptoHeadlineSet(cryptoPath, ["train", "dev"]);
const { first: twitterFit, second: twitterCalibration } = stratifiedSplit(twitter, CALIBRATION_FRACTION, seed);
console.log(`fit: ${twitterFit.length} twitter + ${crypto.train.length} crypto train rows; twitter calibration ${twitterCalibration.length}; crypto dev ${crypto.dev.length} (seed ${seed})`);

const features = defaultFeatureConfig();
const t0 = performance.now();
const result = trainWithCryptoDev(
  { twitterFit, twitterCalibration, cryptoTrain: crypto.train, cryptoDev: crypto.dev },
  { features, numLabels: LABELS.length, weightGrid: CRYPTO_WEIGHT_GRID, l2Grid: L2_GRID, twitterTolerance: TWITTER_TOLERANCE, offsetPriorStd: OFFSET_PRIOR_STD, log: (l) => console.log(l) },
);
const c = result.chosen;
console.log(
  `chosen: crypto weight ${c.weight}, l2 ${c.l2}, temperature ${c.temperature.toFixed(4)}, offsets [${c.offsets.map((v) => v.toFixed(4)).join(", ")}] (${LABELS.join("/")}); ` +
    `dev macro-F1 ${c.dev.macroF1.toFixed(4)}, twitter calibration macro-F1 ${c.twitter.macroF1.toFixed(4)} (reference ${result.twitterReference.toFixed(4)}) (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);

const round = (v: number) => Number(v.toFixed(6));
const written = writeLinearModelDir(outDir, {
  weights: result.weights,
  features,
  name: "cryptoviz-sentiment",
  version: MODEL_VERSION,
  training: {
    script: "scripts/train-sentiment.ts",
    seed,
    data: [
      { file: relative(dataDir, twitterPath), rows: twitter.length, sha256: sha256(readFileSync(twitterPath)), license: "MIT", use: `fit (${twitterFit.length}) + calibration (${twitterCalibration.length}), stratified split` },
      {
        file: cryptoPath,
        rows: crypto.train.length + crypto.dev.length,
        sha256: sha256(readFileSync(cryptoPath)),
        license: "project",
        use: `fit (split=train, ${crypto.train.length} rows, weight ${c.weight}); dev (${crypto.dev.length} rows) picks weight and l2 and fits the class offsets; test never read`,
      },
    ],
    model: "multinomial logistic regression, full-batch L-BFGS",
    cryptoWeight: c.weight,
    l2: c.l2,
    selection: {
      rule: `best crypto dev macro-F1 (with offsets) among candidates whose twitter calibration macro-F1 (with offsets) is within ${TWITTER_TOLERANCE} of the grid's best uncalibrated`,
      twitterReference: round(result.twitterReference),
      grid: result.candidates.map((k) => ({
        weight: k.weight,
        l2: k.l2,
        devMacroF1: round(k.dev.macroF1),
        devMacroF1Raw: round(k.dev.macroF1Raw),
        twitterMacroF1: round(k.twitter.macroF1),
        twitterMacroF1Raw: round(k.twitter.macroF1Raw),
        eligible: k.eligible,
      })),
    },
    temperature: { method: "temperature scaling on the twitter calibration split (NLL)", fraction: CALIBRATION_FRACTION, value: c.temperature },
    classOffsets: {
      method: `per-class offsets on z / T fitted on crypto dev: class-balanced NLL, Gaussian prior sd ${OFFSET_PRIOR_STD}; folded into the bias as T·offset`,
      labels: LABELS,
      offsets: c.offsets.map(round),
    },
    bucketsUsed: result.seenBuckets,
  },
});
console.log(`wrote ${join(outDir, "model.onnx")} (${(written.onnxBytes / 1e6).toFixed(2)} MB) sha256 ${written.onnxSha256}`);
console.log(`wrote ${join(outDir, "config.json")} sha256 ${written.configSha256}`);
