import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../../lib/nlp/loadSentimentClassifier.ts";
import { writeTinyBert } from "../../scripts/make-tiny-bert.ts";

const MODEL_DIR = "models/cryptoviz-sentiment";
const tmp = mkdtempSync(join(tmpdir(), "sentiment-loader-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

function modelDirWith(name: string, config: string | object): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "config.json"), typeof config === "string" ? config : JSON.stringify(config));
  return dir;
}

test("the generic loader dispatches cryptoviz-linear to the default model", async () => {
  const model = await loadSentimentClassifier(MODEL_DIR, { intraOpNumThreads: 1 });
  assert.match(model.name, /^cryptoviz-sentiment-v/);
  const [p] = await model.classify(["Bitcoin ETF approved"]);
  assert.ok(p && ["positive", "negative", "neutral"].includes(p.label));
  await model.close();
  await model.close(); // idempotent
});

test("the generic loader dispatches a Hugging Face BERT export (config.json model_type bert) to the BERT path", async () => {
  const dir = join(tmp, "tiny-bert");
  await writeTinyBert(dir, { seed: 3 });
  const model = await loadSentimentClassifier(dir, { intraOpNumThreads: 1, batchSize: 2, maxLength: 16 });
  const preds = await model.classify(["bitcoin price rises", "exchange hacked", "ok"]);
  assert.equal(preds.length, 3);
  for (const p of preds) assert.ok(Math.abs(p.scores.positive + p.scores.negative + p.scores.neutral - 1) < 1e-5);
  await model.close();
  // Without model_type, architectures decide.
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  delete config.model_type;
  config.architectures = ["BertForSequenceClassification"];
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  const again = await loadSentimentClassifier(dir, { intraOpNumThreads: 1 });
  assert.equal((await again.classify(["x"])).length, 1);
  await again.close();
});

test("loader errors name the field and the directory", async () => {
  await assert.rejects(loadSentimentClassifier(join(tmp, "missing")), (e: Error) => e.message.includes(join(tmp, "missing")) && /no config\.json/.test(e.message));
  const unknown = modelDirWith("unknown", { model_type: "gpt2" });
  await assert.rejects(loadSentimentClassifier(unknown), (e: Error) => e.message.includes(unknown) && /model_type "gpt2" is not supported/.test(e.message));
  const none = modelDirWith("none", { id2label: {} });
  await assert.rejects(loadSentimentClassifier(none), (e: Error) => e.message.includes(none) && /model_type is missing/.test(e.message));
  const bad = modelDirWith("bad", "{ not json");
  await assert.rejects(loadSentimentClassifier(bad), /config\.json: not valid JSON/);
});

test("a model trained with another lexicon is refused at load, with the remedy", async () => {
  const dir = join(tmp, "stale");
  cpSync(MODEL_DIR, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
  config.tokenizer.lexiconSha256 = "0".repeat(64);
  writeFileSync(join(dir, "config.json"), JSON.stringify(config));
  await assert.rejects(loadSentimentClassifier(dir), /lexiconSha256 .* differs .* retrain/);
});

test("defaultSentimentModelDir: env override, else the repo's models directory", () => {
  assert.equal(defaultSentimentModelDir({ SENTIMENT_MODEL_DIR: "/opt/m" }), "/opt/m");
  assert.equal(defaultSentimentModelDir({}), resolve(MODEL_DIR));
  assert.equal(defaultSentimentModelDir({ LAMBDA_TASK_ROOT: "/nonexistent" }), resolve(MODEL_DIR), "a task root without the model falls through");
});

test("bundled as CJS by esbuild (as in Lambda), the default dir resolves beside the bundle's working directory", () => {
  const out = join(tmp, "bundle.cjs");
  const build = spawnSync(process.execPath, [
    "-e",
    `require("esbuild").buildSync({ entryPoints: ["lib/nlp/loadSentimentClassifier.ts"], bundle: true, platform: "node", format: "cjs", outfile: ${JSON.stringify(out)}, external: ["onnxruntime-node"], logLevel: "silent" })`,
  ], { encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
  const run = spawnSync(process.execPath, ["-e", `console.log(require(${JSON.stringify(out)}).defaultSentimentModelDir({ LAMBDA_TASK_ROOT: ${JSON.stringify(process.cwd())} }))`], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), resolve(MODEL_DIR));
});
