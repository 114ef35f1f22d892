// Evaluates a sentiment model directory on every labelled set and prints the
// tables the model card quotes, with a TF-IDF (word uni+bigrams) + logistic
// regression baseline trained in the same run on the same rows as the default model.
//   npm run eval:sentiment [-- --model <dir>] [--data <dir>] [--no-baseline] [--json]
// Any model directory works (the default linear model or a BYO BERT export).
//   npm run eval:sentiment -- --cv [--json]
// prints instead the in-domain protocol of SOURCES.md (5-fold CV inside each evaluation
// set, our method vs TF-IDF + LR; about 8 minutes, so it is not run by default).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../lib/nlp/loadSentimentClassifier.ts";
import { trainTfidfLrBaseline } from "../lib/training/sentiment/baseline.ts";
import {
  LABELS,
  labelCounts,
  labelIndex,
  readCryptoHeadlines,
  readEvaluationSets,
  readTwitterCsv,
  sentimentDataDir,
  SOURCES_TFIDF_LR,
  type Example,
} from "../lib/training/sentiment/datasets.ts";
import { score, type Scores } from "../lib/training/sentiment/metrics.ts";
import { runInDomainCv } from "./eval-sentiment-cv.ts";
import { stratifiedSplit } from "../lib/training/sentiment/trainLinearModel.ts";

let args;
try {
  args = parseArgs({
    options: {
      model: { type: "string" },
      data: { type: "string" },
      "no-baseline": { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      cv: { type: "boolean", default: false },
    },
  }).values;
} catch (e) {
  console.error(`eval-sentiment: ${(e as Error).message}`);
  process.exit(1);
}
const modelDir = args.model ?? defaultSentimentModelDir();
const dataDir = args.data ?? sentimentDataDir();
const d = (...p: string[]) => join(dataDir, ...p);
const cryptoPath = join("models", "cryptoviz-sentiment", "data", "crypto_headlines.tsv");

if (args.cv) {
  runInDomainCv(dataDir, { json: args.json! });
  process.exit(0);
}

/** SOURCES.md figures (TF-IDF + LR, 5-fold CV in-domain: not comparable with cross-domain scores). */
const PUBLISHED: Record<string, string> = {
  "twitter valid": SOURCES_TFIDF_LR.twitterValid,
  "PhraseBank AllAgree": SOURCES_TFIDF_LR.phraseBankAllAgree,
  "PhraseBank 50Agree": SOURCES_TFIDF_LR.phraseBank50Agree,
};

/** The baseline's C is picked on the calibration split like the model's L2 (sklearn's default C = 1 is in the grid). */
const BASELINE_C_GRID = [1, 4, 16, 64, 256];

const evaluation = readEvaluationSets(dataDir);
const sets: [string, Example[]][] = [
  ["twitter valid", readTwitterCsv(d("twitter_financial_news_sentiment", "sent_valid.csv"))],
  ["PhraseBank AllAgree", evaluation.phraseBankAllAgree],
  ["PhraseBank 50Agree", evaluation.phraseBank50Agree],
  ["SemEval-2017 headlines test", evaluation.semEvalTest],
  ["SemEval-2017 headlines train", evaluation.semEvalTrain],
  ["FiQA-2018 headlines", evaluation.fiqaHeadlines],
];
if (existsSync(cryptoPath)) sets.push(["crypto headlines test (own)", readCryptoHeadlines(cryptoPath).test]);
/** Sets also scored on direction only: polar rows, positive vs negative by the larger of the two probabilities. */
const POLAR_ONLY = new Set(["SemEval-2017 headlines test", "FiQA-2018 headlines"]);

const t0 = performance.now();
let model: Awaited<ReturnType<typeof loadSentimentClassifier>>;
try {
  model = await loadSentimentClassifier(modelDir, { intraOpNumThreads: 1 });
} catch (e) {
  console.error(`eval-sentiment: ${(e as Error).message}`);
  process.exit(1);
}
const loadMs = performance.now() - t0;

// The baseline sees exactly the default model's fit rows: same seed, same split, same crypto rows.
let baseline: ReturnType<typeof trainTfidfLrBaseline> | null = null;
if (!args["no-baseline"]) {
  let seed = 20171;
  try {
    const training = (JSON.parse(readFileSync(join(modelDir, "config.json"), "utf8")) as { training?: { seed?: number } }).training;
    if (typeof training?.seed === "number") seed = training.seed;
  } catch {
    /* BYO models have no training block: use the default model's seed. */
  }
  const twitter = readTwitterCsv(d("twitter_financial_news_sentiment", "sent_train.csv"));
  const split = stratifiedSplit(twitter, 0.15, seed);
  const fit = [...split.first, ...(existsSync(cryptoPath) ? readCryptoHeadlines(cryptoPath).train : [])];
  baseline = trainTfidfLrBaseline(fit, LABELS.length, BASELINE_C_GRID, split.second);
}

interface Row {
  set: string;
  model: Scores;
  baseline?: Scores;
  published?: string;
  labels: string;
}
const rows: Row[] = [];
for (const [name, examples] of sets) {
  const gold = examples.map((e) => e.label);
  const preds = await model.classify(examples.map((e) => e.text));
  const probs = preds.map((p) => LABELS.map((l) => p.scores[l]));
  const baseProbs = baseline ? examples.map((e) => baseline!.predict(e.text)) : undefined;
  rows.push({
    set: name,
    model: score(gold, probs, LABELS.length),
    baseline: baseProbs ? score(gold, baseProbs, LABELS.length) : undefined,
    published: PUBLISHED[name],
    labels: labelCounts(gold),
  });
  if (POLAR_ONLY.has(name)) {
    // Neutral probability dropped: what is left is the model's view of the direction.
    const neu = labelIndex("neutral");
    const keep = gold.map((g, i) => (g === neu ? -1 : i)).filter((i) => i >= 0);
    const polar = (p: ArrayLike<number>[]) => keep.map((i) => LABELS.map((_, c) => (c === neu ? 0 : p[i]![c]!)));
    rows.push({
      set: `${name}, positive vs negative only`,
      model: { ...score(keep.map((i) => gold[i]!), polar(probs), LABELS.length), ece: undefined },
      baseline: baseProbs ? { ...score(keep.map((i) => gold[i]!), polar(baseProbs), LABELS.length), ece: undefined } : undefined,
      labels: labelCounts(keep.map((i) => gold[i]!)),
    });
  }
}
await model.close();

if (args.json) {
  console.log(JSON.stringify({ model: model.name, dir: modelDir, loadMs, baselineC: baseline?.C, rows }, null, 2));
} else {
  const f = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(3));
  console.log(`model ${model.name} (${modelDir}), loaded in ${loadMs.toFixed(0)} ms`);
  if (baseline) console.log(`baseline: TF-IDF word uni+bigrams (${baseline.vocabularySize} terms) + logistic regression, C = ${baseline.C} chosen from ${BASELINE_C_GRID.join("/")} on the calibration split`);
  console.log(`SemEval/FiQA scores mapped: > 0.05 positive, < -0.05 negative, otherwise neutral\n`);
  console.log("| set | n (neg/pos/neu) | model acc | model macro-F1 | model ECE | TF-IDF+LR acc | TF-IDF+LR macro-F1 | Δ macro-F1 | SOURCES.md TF-IDF+LR (5-fold CV, in-domain) acc / F1 |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const delta = r.baseline ? (r.model.macroF1 - r.baseline.macroF1 >= 0 ? "+" : "") + (r.model.macroF1 - r.baseline.macroF1).toFixed(3) : "–";
    console.log(`| ${r.set} | ${r.model.n} (${r.labels}) | ${f(r.model.accuracy)} | ${f(r.model.macroF1)} | ${f(r.model.ece)} | ${f(r.baseline?.accuracy)} | ${f(r.baseline?.macroF1)} | ${delta} | ${r.published ?? "–"} |`);
  }
}
