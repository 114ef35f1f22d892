// Evaluates a sentiment model directory on every labelled set, beside three baselines
// scored in the same run: TF-IDF (word uni+bigrams) + logistic regression fitted on the
// shipped model's rows with its crypto recipe, AFINN (npm `sentiment`) and VADER
// (npm `vader-sentiment`). On the held-out crypto test split it adds a template-bootstrap
// 95 % interval and accuracy per event type.
//   npm run eval:sentiment [-- --model <dir>] [--data <dir>] [--crypto <v2 tsv>] [--smoke <v1 tsv>]
//                            [--no-baseline] [--bootstrap <resamples>] [--json]
// Any model directory works (the default linear model or a BYO BERT export).
//   npm run eval:sentiment -- --cv [--json]
// prints instead the in-domain protocol of SOURCES.md (5-fold CV inside each evaluation
// set, our method vs TF-IDF + LR; about 8 minutes, so it is not run by default).
// This script reads the crypto test split to report it; it chooses nothing.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../lib/nlp/loadSentimentClassifier.ts";
import { readCryptoHeadlineSet, type CryptoHeadline } from "../lib/training/sentiment/cryptoHeadlineSet.ts";
import { LABELS, labelCounts, labelIndex, readCryptoHeadlines, readEvaluationSets, readTwitterCsv, sentimentDataDir, SOURCES_TFIDF_LR, type Example } from "../lib/training/sentiment/datasets.ts";
import { afinnBaseline, vaderBaseline } from "../lib/training/sentiment/lexiconBaselines.ts";
import { accuracy, argmax, expectedCalibrationError, macroF1 } from "../lib/training/sentiment/metrics.ts";
import { accuracyByGroup, groupBootstrap, type Interval } from "../lib/training/sentiment/templateBootstrap.ts";
import { trainTfidfLrOnCryptoDev } from "../lib/training/sentiment/tfidfOnCryptoDev.ts";
import { stratifiedSplit } from "../lib/training/sentiment/trainLinearModel.ts";
import { runInDomainCv } from "./eval-sentiment-cv.ts";

let args;
try {
  args = parseArgs({
    options: {
      model: { type: "string" },
      data: { type: "string" },
      crypto: { type: "string", default: join("models", "cryptoviz-sentiment", "data", "crypto_headlines_v2.tsv") },
      smoke: { type: "string", default: join("models", "cryptoviz-sentiment", "data", "crypto_headlines.tsv") },
      "no-baseline": { type: "boolean", default: false },
      bootstrap: { type: "string", default: "2000" },
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
const resamples = Number(args.bootstrap);
if (!Number.isInteger(resamples) || resamples < 1) {
  console.error(`eval-sentiment: --bootstrap must be a positive integer, got "${args.bootstrap}"`);
  process.exit(1);
}

if (args.cv) {
  runInDomainCv(dataDir, { json: args.json! });
  process.exit(0);
}

/** The seed of the fit/calibration split and the bits of the recipe the baseline copies. */
const BASELINE_C_GRID = [1, 4, 16, 64, 256];
const DEFAULT_SEED = 20171;
const OFFSET_PRIOR_STD = 1;
const TEST_SET = "crypto v2 test (held out)";

const crypto = readCryptoHeadlineSet(args.crypto!, ["train", "dev", "test"]);
const evaluation = readEvaluationSets(dataDir);
const sets: [string, Example[]][] = [
  [TEST_SET, crypto.test],
  ["crypto v2 dev (used for choices)", crypto.dev],
  ...(existsSync(args.smoke!) ? ([["crypto v1, all 160 rows (smoke)", Object.values(readCryptoHeadlines(args.smoke!)).flat()]] as [string, Example[]][]) : []),
  ["twitter valid (held out)", readTwitterCsv(d("twitter_financial_news_sentiment", "sent_valid.csv"))],
  ["PhraseBank AllAgree", evaluation.phraseBankAllAgree],
  ["PhraseBank 50Agree", evaluation.phraseBank50Agree],
  ["SemEval-2017 headlines test", evaluation.semEvalTest],
  ["SemEval-2017 headlines train", evaluation.semEvalTrain],
  ["FiQA-2018 headlines", evaluation.fiqaHeadlines],
];
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

// The baseline sees exactly the default model's fit rows, with its crypto weight: same seed, same split.
const training = (() => {
  try {
    return (JSON.parse(readFileSync(join(modelDir, "config.json"), "utf8")) as { training?: { seed?: number; cryptoWeight?: number } }).training ?? {};
  } catch {
    return {}; // BYO models have no training block: the default seed, weight 1.
  }
})();
const cryptoWeight = typeof training.cryptoWeight === "number" ? training.cryptoWeight : 1;
let baseline: ReturnType<typeof trainTfidfLrOnCryptoDev> | null = null;
if (!args["no-baseline"]) {
  const twitter = readTwitterCsv(d("twitter_financial_news_sentiment", "sent_train.csv"));
  const split = stratifiedSplit(twitter, 0.15, typeof training.seed === "number" ? training.seed : DEFAULT_SEED);
  const fit = [...split.first, ...crypto.train.map((e) => ({ ...e, weight: cryptoWeight }))];
  baseline = trainTfidfLrOnCryptoDev(fit, crypto.dev, { numLabels: LABELS.length, cGrid: BASELINE_C_GRID, offsetPriorStd: OFFSET_PRIOR_STD });
}

interface SystemScores {
  accuracy: number;
  macroF1: number;
  ece?: number;
}
type SystemName = "model" | "tfidfLr" | "afinn" | "vader";
interface Row {
  set: string;
  n: number;
  labels: string;
  systems: Partial<Record<SystemName, SystemScores>>;
}
interface Predictions {
  probs: Partial<Record<"model" | "tfidfLr", ArrayLike<number>[]>>;
  labels: Record<SystemName, number[]>;
}

async function predictAll(examples: readonly Example[]): Promise<Predictions> {
  const texts = examples.map((e) => e.text);
  const modelProbs = (await model.classify(texts)).map((p) => LABELS.map((l) => p.scores[l]));
  const baseProbs = baseline ? texts.map((t) => baseline!.predict(t)) : undefined;
  return {
    probs: { model: modelProbs, ...(baseProbs ? { tfidfLr: baseProbs } : {}) },
    labels: {
      model: modelProbs.map(argmax),
      tfidfLr: baseProbs ? baseProbs.map(argmax) : [],
      afinn: texts.map((t) => afinnBaseline.label(t)),
      vader: texts.map((t) => vaderBaseline.label(t)),
    },
  };
}

const SYSTEMS: SystemName[] = ["model", "tfidfLr", "afinn", "vader"];
const rows: Row[] = [];
let testDetail: { templates: number; bootstrap: Partial<Record<SystemName, { accuracy: Interval; macroF1: Interval }>>; byEventType: { eventType: string; n: number; accuracy: Partial<Record<SystemName, number>> }[] } | undefined;
for (const [name, examples] of sets) {
  const gold = examples.map((e) => e.label);
  const p = await predictAll(examples);
  const systems: Row["systems"] = {};
  for (const s of SYSTEMS) {
    if (s === "tfidfLr" && !baseline) continue;
    const probs = p.probs[s as "model" | "tfidfLr"];
    systems[s] = { accuracy: accuracy(gold, p.labels[s]), macroF1: macroF1(gold, p.labels[s], LABELS.length), ...(probs ? { ece: expectedCalibrationError(gold, probs) } : {}) };
  }
  rows.push({ set: name, n: examples.length, labels: labelCounts(gold), systems });
  if (POLAR_ONLY.has(name)) {
    // Neutral probability dropped: what is left is the direction. Word lists have no probabilities, so they sit this out.
    const neu = labelIndex("neutral");
    const keep = gold.map((g, i) => (g === neu ? -1 : i)).filter((i) => i >= 0);
    const kept = keep.map((i) => gold[i]!);
    const polar: Row["systems"] = {};
    for (const [s, probs] of Object.entries(p.probs) as ["model" | "tfidfLr", ArrayLike<number>[]][]) {
      const pred = keep.map((i) => argmax(LABELS.map((_, c) => (c === neu ? 0 : probs[i]![c]!))));
      polar[s] = { accuracy: accuracy(kept, pred), macroF1: macroF1(kept, pred, LABELS.length) };
    }
    rows.push({ set: `${name}, positive vs negative only`, n: keep.length, labels: labelCounts(kept), systems: polar });
  }
  if (name === TEST_SET) {
    const rowsOf = examples as CryptoHeadline[];
    const templates = rowsOf.map((r) => r.template);
    const bootstrap: NonNullable<typeof testDetail>["bootstrap"] = {};
    for (const s of Object.keys(systems) as SystemName[]) {
      const { accuracy: a, macroF1: f } = groupBootstrap(gold, p.labels[s], templates, { numLabels: LABELS.length, resamples, seed: DEFAULT_SEED });
      bootstrap[s] = { accuracy: a, macroF1: f };
    }
    const types = rowsOf.map((r) => r.eventType);
    const per = Object.fromEntries((Object.keys(systems) as SystemName[]).map((s) => [s, accuracyByGroup(gold, p.labels[s], types)]));
    const byEventType = per.model!.map((g, k) => ({ eventType: g.group, n: g.n, accuracy: Object.fromEntries(Object.entries(per).map(([s, list]) => [s, list[k]!.accuracy])) }));
    testDetail = { templates: new Set(templates).size, bootstrap, byEventType };
  }
}
await model.close();

const NAMES: Record<SystemName, string> = { model: "model", tfidfLr: "TF-IDF+LR", afinn: "AFINN", vader: "VADER" };
if (args.json) {
  console.log(
    JSON.stringify(
      { model: model.name, dir: modelDir, loadMs, baseline: baseline ? { C: baseline.C, cryptoWeight, offsets: baseline.offsets } : null, rows, cryptoTest: testDetail },
      null,
      2,
    ),
  );
} else {
  const f = (v: number | undefined) => (v === undefined ? "–" : v.toFixed(3));
  console.log(`model ${model.name} (${modelDir}), loaded in ${loadMs.toFixed(0)} ms`);
  if (baseline) {
    console.log(
      `TF-IDF+LR: word uni+bigrams (${baseline.vocabularySize} terms) + logistic regression on the model's fit rows (crypto weight ${cryptoWeight}); ` +
        `C = ${baseline.C} from ${BASELINE_C_GRID.join("/")} by crypto dev macro-F1; class offsets [${baseline.offsets.map((v) => v.toFixed(3)).join(", ")}] fitted on crypto dev`,
    );
  }
  console.log(`AFINN: npm sentiment, score > 0 positive, < 0 negative. VADER: npm vader-sentiment, compound ≥ 0.05 positive, ≤ −0.05 negative.`);
  console.log(`SemEval/FiQA scores mapped: > 0.05 positive, < -0.05 negative, otherwise neutral. SOURCES.md TF-IDF+LR (in-domain): twitter ${SOURCES_TFIDF_LR.twitterValid}, PhraseBank AllAgree ${SOURCES_TFIDF_LR.phraseBankAllAgree}, 50Agree ${SOURCES_TFIDF_LR.phraseBank50Agree}\n`);
  console.log("| set | n (neg/pos/neu) | model acc | model macro-F1 | model ECE | TF-IDF+LR acc | TF-IDF+LR macro-F1 | AFINN acc | AFINN macro-F1 | VADER acc | VADER macro-F1 |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const s = r.systems;
    console.log(
      `| ${r.set} | ${r.n} (${r.labels}) | ${f(s.model?.accuracy)} | ${f(s.model?.macroF1)} | ${f(s.model?.ece)} | ${f(s.tfidfLr?.accuracy)} | ${f(s.tfidfLr?.macroF1)} | ${f(s.afinn?.accuracy)} | ${f(s.afinn?.macroF1)} | ${f(s.vader?.accuracy)} | ${f(s.vader?.macroF1)} |`,
    );
  }
  if (testDetail) {
    const present = Object.keys(testDetail.bootstrap) as SystemName[];
    const iv = (i: Interval) => `${i.low.toFixed(3)}–${i.high.toFixed(3)}`;
    console.log(`\n${TEST_SET}: 95 % intervals from ${resamples} bootstrap resamples of its ${testDetail.templates} templates`);
    console.log("| system | accuracy 95 % | macro-F1 95 % |\n|---|---|---|");
    for (const s of present) console.log(`| ${NAMES[s]} | ${iv(testDetail.bootstrap[s]!.accuracy)} | ${iv(testDetail.bootstrap[s]!.macroF1)} |`);
    console.log(`\n${TEST_SET}: accuracy per event type`);
    console.log(`| event type | n | ${present.map((s) => NAMES[s]).join(" | ")} |\n|---|---|${present.map(() => "---|").join("")}`);
    for (const e of testDetail.byEventType) console.log(`| ${e.eventType} | ${e.n} | ${present.map((s) => f(e.accuracy[s])).join(" | ")} |`);
  }
}
