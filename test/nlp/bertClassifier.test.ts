import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as ort from "onnxruntime-node";
import { loadBertClassifier } from "../../lib/nlp/bert/loadBertClassifier.ts";
import { WordPieceTokenizer } from "../../lib/nlp/bert/wordpiece.ts";
import type { SentimentPrediction } from "../../lib/nlp/types.ts";
import { writeTinyBert, type TinyBertWeights } from "../../scripts/make-tiny-bert.ts";

// ---------------------------------------------------------------------------
// An independent forward pass of BertForSequenceClassification in plain
// TypeScript (float64), written from the BERT paper / HF modeling_bert, not
// from the ONNX graph. Matching it proves the graph and the plumbing.

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7). */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}

type Mat = number[][];
const dense = (x: Mat, W: Float32Array, b: Float32Array, inDim: number, outDim: number): Mat =>
  x.map((row) => Array.from({ length: outDim }, (_, o) => row.reduce((acc, v, i) => acc + v * W[i * outDim + o]!, b[o]!)));
const layerNorm = (x: Mat, g: Float32Array, b: Float32Array, eps: number): Mat =>
  x.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * g[i]! + b[i]!);
  });
const add = (x: Mat, y: Mat): Mat => x.map((row, i) => row.map((v, j) => v + y[i]![j]!));
const rowOf = (table: Float32Array, index: number, width: number) => Array.from(table.subarray(index * width, (index + 1) * width));

function referenceLogits(w: TinyBertWeights, ids: number[], mask: number[], types: number[]): number[] {
  const H = w.hidden;
  const d = H / w.heads;
  let x: Mat = ids.map((id, s) => rowOf(w.wordEmb, id, H).map((v, k) => v + w.posEmb[s * H + k]! + w.typeEmb[types[s]! * H + k]!));
  x = layerNorm(x, w.embLng, w.embLnb, w.layerNormEps);
  for (const L of w.layers) {
    const q = dense(x, L.wq, L.bq, H, H);
    const k = dense(x, L.wk, L.bk, H, H);
    const v = dense(x, L.wv, L.bv, H, H);
    const ctx: Mat = x.map(() => new Array(H).fill(0));
    for (let h = 0; h < w.heads; h++) {
      for (let i = 0; i < x.length; i++) {
        const scores = x.map((_, j) => {
          let dot = 0;
          for (let c = h * d; c < (h + 1) * d; c++) dot += q[i]![c]! * k[j]![c]!;
          return dot / Math.sqrt(d) + (1 - mask[j]!) * w.maskValue;
        });
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < x.length; j++) for (let c = h * d; c < (h + 1) * d; c++) ctx[i]![c]! += (e[j]! / z) * v[j]![c]!;
      }
    }
    const attn = layerNorm(add(dense(ctx, L.wo, L.bo, H, H), x), L.ln1g, L.ln1b, w.layerNormEps);
    const inner = dense(attn, L.w1, L.b1, H, w.intermediate).map((row) => row.map((u) => 0.5 * u * (1 + erf(u / Math.SQRT2))));
    x = layerNorm(add(dense(inner, L.w2, L.b2, w.intermediate, H), attn), L.ln2g, L.ln2b, w.layerNormEps);
  }
  const pooled = dense([x[0]!], w.poolW, w.poolB, H, H)[0]!.map(Math.tanh);
  return dense([pooled], w.clsW, w.clsB, H, w.numLabels)[0]!;
}

const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

// ---------------------------------------------------------------------------

const TEXTS = [
  "Bitcoin surges to a new record high after ETF approval!",
  "Ether crashes as exchange hack drains the market",
  "SEC delays listing",
  "rug pull: token falls 90%",
  "halving rally",
  "",
];
const LONG = Array.from({ length: 60 }, (_, i) => ["bitcoin", "price", "rally", "exchange", "token"][i % 5]).join(" ");

let root: string;
let dir: string;
let weights: TinyBertWeights;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "tiny-bert-"));
  dir = join(root, "model");
  weights = await writeTinyBert(dir, { seed: 7 });
});
after(() => rm(root, { recursive: true, force: true }));

/** A fresh copy of the fixture, optionally edited, for tests that break it. */
async function variant(name: string, options: Parameters<typeof writeTinyBert>[1] = { seed: 7 }): Promise<{ path: string; weights: TinyBertWeights }> {
  const path = join(root, name);
  return { path, weights: await writeTinyBert(path, options) };
}

async function editJson(path: string, edit: (json: any) => void): Promise<void> {
  const json = JSON.parse(await readFile(path, "utf8"));
  edit(json);
  await writeFile(path, JSON.stringify(json));
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;
function assertScoresClose(actual: SentimentPrediction, expected: SentimentPrediction, tol: number, what: string): void {
  assert.equal(actual.label, expected.label, what);
  for (const l of ["positive", "negative", "neutral"] as const) assert.ok(close(actual.scores[l], expected.scores[l], tol), `${what} ${l}: ${actual.scores[l]} vs ${expected.scores[l]}`);
}

test("the ONNX fixture's logits equal an independent plain-TS forward pass of the same weights, padded rows included", async () => {
  const tokenizer = await WordPieceTokenizer.fromFile(join(dir, "tokenizer.json"));
  const batch = tokenizer.encodeBatch([...TEXTS, LONG]);
  const dims = [batch.batch, batch.length];
  const session = await ort.InferenceSession.create(join(dir, "model.onnx"));
  const out = await session.run({
    input_ids: new ort.Tensor("int64", batch.inputIds, dims),
    attention_mask: new ort.Tensor("int64", batch.attentionMask, dims),
    token_type_ids: new ort.Tensor("int64", batch.tokenTypeIds, dims),
  });
  await session.release();
  const logits = out.logits!.data as Float32Array;
  assert.deepEqual(out.logits!.dims, [batch.batch, 3]);
  let spread = 0;
  for (let r = 0; r < batch.batch; r++) {
    const row = (a: BigInt64Array) => Array.from(a.subarray(r * batch.length, (r + 1) * batch.length), Number);
    const expected = referenceLogits(weights, row(batch.inputIds), row(batch.attentionMask), row(batch.tokenTypeIds));
    // The same text without its padding: the reference agrees with itself, so masking is exact.
    const enc = tokenizer.encode(r < TEXTS.length ? TEXTS[r]! : LONG);
    const unpadded = referenceLogits(weights, enc.ids, enc.ids.map(() => 1), enc.typeIds);
    expected.forEach((e, c) => {
      assert.ok(close(logits[r * 3 + c]!, e, 1e-4), `row ${r} logit ${c}: onnx ${logits[r * 3 + c]} vs reference ${e}`);
      assert.ok(close(unpadded[c]!, e, 1e-9), `row ${r} logit ${c}: padded reference ${e} vs unpadded ${unpadded[c]}`);
    });
    spread = Math.max(spread, Math.max(...expected) - Math.min(...expected));
  }
  assert.ok(spread > 0.1, "random weights give logits that differ between classes");
});

test("the classifier returns softmax of the logits, mapped through id2label, summing to 1", async () => {
  const classifier = await loadBertClassifier(dir);
  assert.equal(classifier.name, "tiny-bert");
  const tokenizer = await WordPieceTokenizer.fromFile(join(dir, "tokenizer.json"));
  const predictions = await classifier.classify(TEXTS);
  assert.equal(predictions.length, TEXTS.length);
  const labels = new Set<string>();
  predictions.forEach((p, i) => {
    const enc = tokenizer.encode(TEXTS[i]!);
    const [negative, neutral, positive] = softmax(referenceLogits(weights, enc.ids, enc.ids.map(() => 1), enc.typeIds)) as [number, number, number];
    const best = Math.max(negative, neutral, positive);
    const label = best === positive ? "positive" : best === negative ? "negative" : "neutral";
    assertScoresClose(p, { label, scores: { negative, neutral, positive } }, 1e-4, `text ${i}`);
    assert.ok(close(p.scores.positive + p.scores.negative + p.scores.neutral, 1, 1e-9));
    labels.add(p.label);
  });
  assert.deepEqual(await classifier.classify([]), []);
  await classifier.close();
  await assert.rejects(classifier.classify(["rally"]), /after close/);
});

test("padding invariance: a text scores the same alone and beside a much longer text (the attention mask works)", async () => {
  const classifier = await loadBertClassifier(dir);
  const [alone] = await classifier.classify(["halving rally"]);
  const [inBatch, longOne] = await classifier.classify(["halving rally", LONG]);
  assertScoresClose(inBatch!, alone!, 1e-5, "padded");
  assert.notDeepEqual(longOne!.scores, alone!.scores);
  await classifier.close();

  // The check has teeth: with the padding attended to, the short text's logits move.
  const tokenizer = await WordPieceTokenizer.fromFile(join(dir, "tokenizer.json"));
  const batch = tokenizer.encodeBatch(["halving rally", LONG]);
  const row = (a: BigInt64Array) => Array.from(a.subarray(0, batch.length), Number);
  const masked = referenceLogits(weights, row(batch.inputIds), row(batch.attentionMask), row(batch.tokenTypeIds));
  const unmasked = referenceLogits(weights, row(batch.inputIds), row(batch.attentionMask).map(() => 1), row(batch.tokenTypeIds));
  assert.ok(Math.max(...masked.map((m, i) => Math.abs(m - unmasked[i]!))) > 1e-3, "attending to padding would change the result");
});

test("batching beyond batchSize keeps the order of the inputs", async () => {
  // Lengths out of order, so the length-sorted batches must be put back in input order.
  const texts = Array.from({ length: 11 }, (_, i) => `${TEXTS[i % TEXTS.length]} ${"rally ".repeat((i * 7) % 11)}`);
  // Each text on its own: the expected output, independent of any reordering.
  const single = await loadBertClassifier(dir);
  const one: SentimentPrediction[] = [];
  for (const t of texts) one.push((await single.classify([t]))[0]!);
  await single.close();
  const batched = await loadBertClassifier(dir, { batchSize: 4, intraOpNumThreads: 1 });
  const many = await batched.classify(texts);
  await batched.close();
  assert.equal(many.length, 11);
  many.forEach((p, i) => assertScoresClose(p, one[i]!, 1e-5, `text ${i}`));
  assert.ok(new Set(many.map((p) => p.scores.positive.toFixed(6))).size > 5, "the texts score differently, so order is checked");
});

test("over-long texts are truncated to tokenizer.json's max length, or the model's position table, or the caller's maxLength", async () => {
  const longer = `${LONG} ${LONG}`;
  const classifier = await loadBertClassifier(dir);
  const [a, b] = await classifier.classify([LONG, longer]); // both cut to 32 tokens, the same 30 words
  assertScoresClose(a!, b!, 1e-6, "truncated");
  await classifier.close();

  // No truncation block: max_position_embeddings (40) is the limit, and nothing overflows the position table.
  const { path } = await variant("no-truncation");
  await editJson(join(path, "tokenizer.json"), (j) => (j.truncation = null));
  const byPositions = await loadBertClassifier(path);
  const [c, d] = await byPositions.classify([LONG, longer]);
  assertScoresClose(c!, d!, 1e-6, "cut at 40");
  assert.notDeepEqual(c!.scores, a!.scores);
  await byPositions.close();

  const capped = await loadBertClassifier(dir, { maxLength: 6 });
  const [e, f] = await capped.classify(["bitcoin price rally exchange token new record high", "bitcoin price rally exchange sec sec sec"]);
  assertScoresClose(e!, f!, 1e-6, "cut at 6"); // the same first four words
  await capped.close();
});

test("exports without token_type_ids get only the inputs they declare", async () => {
  const { path, weights: w } = await variant("no-types", { seed: 11, tokenTypeIds: false });
  const classifier = await loadBertClassifier(path);
  const [p] = await classifier.classify(["ETF approval rally"]);
  const enc = (await WordPieceTokenizer.fromFile(join(path, "tokenizer.json"))).encode("ETF approval rally");
  const [negative, neutral, positive] = softmax(referenceLogits(w, enc.ids, enc.ids.map(() => 1), enc.typeIds)) as [number, number, number];
  assert.ok(close(p!.scores.negative, negative, 1e-4) && close(p!.scores.neutral, neutral, 1e-4) && close(p!.scores.positive, positive, 1e-4));
  await classifier.close();
});

test("labels map case-insensitively (FinBERT order) or through cryptoviz_label_map", async () => {
  const { path } = await variant("finbert-order", { seed: 7, labels: ["Positive", "NEGATIVE", "neutral"] });
  const finbert = await loadBertClassifier(path);
  const reordered = await finbert.classify(["halving rally"]);
  await finbert.close();
  const base = await loadBertClassifier(dir);
  const [original] = await base.classify(["halving rally"]);
  await base.close();
  // Same weights, so output 0 (negative in the base fixture) now counts as positive, and so on.
  assert.ok(close(reordered[0]!.scores.positive, original!.scores.negative, 1e-6));
  assert.ok(close(reordered[0]!.scores.negative, original!.scores.neutral, 1e-6));

  const { path: generic } = await variant("generic-labels", { seed: 7, labels: ["LABEL_0", "LABEL_1", "LABEL_2"] });
  await assert.rejects(loadBertClassifier(generic), (err: Error) => /config\.json: id2label "0" is "LABEL_0"/.test(err.message) && /cryptoviz_label_map/.test(err.message));
  await editJson(join(generic, "config.json"), (j) => (j.cryptoviz_label_map = { label_0: "Negative", LABEL_1: "neutral", "2": "positive" }));
  const mapped = await loadBertClassifier(generic);
  assertScoresClose((await mapped.classify(["halving rally"]))[0]!, original!, 1e-6, "mapped");
  await mapped.close();
  await editJson(join(generic, "config.json"), (j) => (j.cryptoviz_label_map = { LABEL_0: "bad" }));
  await assert.rejects(loadBertClassifier(generic), /cryptoviz_label_map\.LABEL_0 is "bad"/);
});

test("bad model directories are refused with the file or field at fault", async () => {
  await assert.rejects(loadBertClassifier(join(root, "nowhere")), /missing model\.onnx, tokenizer\.json, config\.json/);

  const { path: noTokenizer } = await variant("no-tokenizer");
  await unlink(join(noTokenizer, "tokenizer.json"));
  await assert.rejects(loadBertClassifier(noTokenizer), /missing tokenizer\.json \(/);

  const { path: bpe } = await variant("bpe");
  await editJson(join(bpe, "tokenizer.json"), (j) => (j.model = { type: "BPE", vocab: { a: 0 }, merges: [] }));
  await assert.rejects(loadBertClassifier(bpe), /bpe\/tokenizer\.json: model\.type is "BPE"/);

  const { path: noLabels } = await variant("no-labels");
  await editJson(join(noLabels, "config.json"), (j) => delete j.id2label);
  await assert.rejects(loadBertClassifier(noLabels), /no-labels\/config\.json: id2label is missing/);

  const { path: badJson } = await variant("bad-json");
  await writeFile(join(badJson, "config.json"), "{ not json");
  await assert.rejects(loadBertClassifier(badJson), /bad-json\/config\.json: not valid JSON/);

  const { path: badOnnx } = await variant("bad-onnx");
  await writeFile(join(badOnnx, "model.onnx"), "not a model");
  await assert.rejects(loadBertClassifier(badOnnx), /bad-onnx\/model\.onnx: cannot load ONNX model/);

  const { path: fourLabels } = await variant("four-labels", { seed: 7 });
  await editJson(join(fourLabels, "config.json"), (j) => (j.id2label = { 0: "negative", 1: "neutral", 2: "positive", 3: "neutral" }));
  const wrong = await loadBertClassifier(fourLabels);
  await assert.rejects(wrong.classify(["rally"]), /output logits has shape \[1, 3\], expected \[1, 4\]/);
  await wrong.close();

  await assert.rejects(loadBertClassifier(dir, { batchSize: 0 }), /batchSize must be a positive integer/);
  await assert.rejects(loadBertClassifier(dir, { maxLength: 2 }), /no room for text/);
});
