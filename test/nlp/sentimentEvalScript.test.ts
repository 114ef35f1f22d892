// `npm run eval:sentiment` on a small fixture (test/nlp/fixtures/sentiment-eval: every file
// format it reads, a few rows each): every set gets the model and the three baselines, the
// word-list baselines give exactly what their npm packages give, and the crypto test split
// gets its template-bootstrap interval and per-event-type accuracy.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import Sentiment from "sentiment";
import vader from "vader-sentiment";
import { readCryptoHeadlineSet } from "../../lib/training/sentiment/cryptoHeadlineSet.ts";
import { LABELS, readCryptoHeadlines, readEvaluationSets, readTwitterCsv, type Example } from "../../lib/training/sentiment/datasets.ts";

const FIXTURE = join("test", "nlp", "fixtures", "sentiment-eval");
const MODEL_DIR = join("models", "cryptoviz-sentiment");

interface Scores {
  accuracy: number;
  macroF1: number;
  ece?: number;
}
interface Output {
  baseline: { C: number; cryptoWeight: number; offsets: number[] };
  rows: { set: string; n: number; systems: Record<string, Scores> }[];
  cryptoTest: {
    templates: number;
    bootstrap: Record<string, { accuracy: { low: number; high: number }; macroF1: { low: number; high: number } }>;
    byEventType: { eventType: string; n: number; accuracy: Record<string, number> }[];
  };
}

const run = spawnSync(
  process.execPath,
  ["--import", "tsx", "scripts/eval-sentiment.ts", "--data", FIXTURE, "--crypto", join(FIXTURE, "crypto_v2.tsv"), "--smoke", join(FIXTURE, "crypto_v1.tsv"), "--bootstrap", "200", "--json"],
  { encoding: "utf8" },
);

// Computed here straight from the packages, with their authors' mappings: the script must agree.
const afinn = new Sentiment();
const afinnLabel = (t: string) => { const s = afinn.analyze(t).score; return s > 0 ? 1 : s < 0 ? 0 : 2; };
const vaderLabel = (t: string) => { const c = vader.SentimentIntensityAnalyzer.polarity_scores(t).compound; return c >= 0.05 ? 1 : c <= -0.05 ? 0 : 2; };
const accuracyOf = (rows: readonly Example[], label: (t: string) => number) => rows.filter((e) => label(e.text) === e.label).length / rows.length;

test("eval script: exits 0 with JSON on the fixture", () => {
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotThrow(() => JSON.parse(run.stdout));
});

test("eval script: every set has the model, TF-IDF+LR, AFINN and VADER; direction-only rows have the probabilistic two", () => {
  const out = JSON.parse(run.stdout) as Output;
  const names = out.rows.map((r) => r.set);
  for (const expected of ["crypto v2 test (held out)", "crypto v2 dev (used for choices)", "crypto v1, all 160 rows (smoke)", "twitter valid (held out)", "PhraseBank AllAgree", "PhraseBank 50Agree", "SemEval-2017 headlines test", "SemEval-2017 headlines train", "FiQA-2018 headlines"]) {
    assert.ok(names.includes(expected), `missing set ${expected}`);
  }
  for (const r of out.rows) {
    const want = /positive vs negative only/.test(r.set) ? ["model", "tfidfLr"] : ["model", "tfidfLr", "afinn", "vader"];
    assert.deepEqual(Object.keys(r.systems).sort(), want.sort(), r.set);
    for (const s of Object.values(r.systems)) assert.ok(s.accuracy >= 0 && s.accuracy <= 1 && s.macroF1 >= 0 && s.macroF1 <= 1);
  }
  const shipped = JSON.parse(readFileSync(join(MODEL_DIR, "config.json"), "utf8")) as { training: { cryptoWeight: number } };
  assert.equal(out.baseline.cryptoWeight, shipped.training.cryptoWeight, "the baseline gets the shipped model's crypto weight");
  assert.ok([1, 4, 16, 64, 256].includes(out.baseline.C));
  assert.equal(out.baseline.offsets.length, LABELS.length);
});

test("eval script: AFINN and VADER figures are what the npm packages give on each fixture set", () => {
  const out = JSON.parse(run.stdout) as Output;
  const crypto = readCryptoHeadlineSet(join(FIXTURE, "crypto_v2.tsv"), ["dev", "test"]);
  const ev = readEvaluationSets(FIXTURE);
  const sets: Record<string, Example[]> = {
    "crypto v2 test (held out)": crypto.test,
    "crypto v2 dev (used for choices)": crypto.dev,
    "crypto v1, all 160 rows (smoke)": Object.values(readCryptoHeadlines(join(FIXTURE, "crypto_v1.tsv"))).flat(),
    "twitter valid (held out)": readTwitterCsv(join(FIXTURE, "twitter_financial_news_sentiment", "sent_valid.csv")),
    "PhraseBank 50Agree": ev.phraseBank50Agree,
    "FiQA-2018 headlines": ev.fiqaHeadlines,
  };
  for (const [name, rows] of Object.entries(sets)) {
    const row = out.rows.find((r) => r.set === name)!;
    assert.equal(row.n, rows.length, name);
    assert.ok(Math.abs(row.systems.afinn!.accuracy - accuracyOf(rows, afinnLabel)) < 1e-12, `${name} AFINN`);
    assert.ok(Math.abs(row.systems.vader!.accuracy - accuracyOf(rows, vaderLabel)) < 1e-12, `${name} VADER`);
  }
  // The fixture is built so the word lists are not trivially right or wrong everywhere.
  const pb = out.rows.find((r) => r.set === "PhraseBank 50Agree")!;
  assert.ok(pb.systems.afinn!.accuracy > 0 && pb.systems.afinn!.accuracy < 1);
});

test("eval script: crypto test gets a template-bootstrap interval around each system's figure and accuracy per event type", () => {
  const out = JSON.parse(run.stdout) as Output;
  const test = readCryptoHeadlineSet(join(FIXTURE, "crypto_v2.tsv"), ["test"]).test;
  const row = out.rows.find((r) => r.set === "crypto v2 test (held out)")!;
  assert.equal(out.cryptoTest.templates, new Set(test.map((r) => r.template)).size);
  for (const [system, iv] of Object.entries(out.cryptoTest.bootstrap)) {
    const point = row.systems[system]!;
    assert.ok(iv.accuracy.low <= point.accuracy + 1e-12 && point.accuracy <= iv.accuracy.high + 1e-12, `${system} ${JSON.stringify(iv.accuracy)} vs ${point.accuracy}`);
  }
  assert.deepEqual(out.cryptoTest.byEventType.map((e) => e.eventType), [...new Set(test.map((r) => r.eventType))].sort());
  assert.equal(out.cryptoTest.byEventType.reduce((s, e) => s + e.n, 0), test.length);
  const adoption = test.filter((r) => r.eventType === "adoption");
  const entry = out.cryptoTest.byEventType.find((e) => e.eventType === "adoption")!;
  assert.equal(entry.accuracy.afinn, accuracyOf(adoption, afinnLabel));
});
