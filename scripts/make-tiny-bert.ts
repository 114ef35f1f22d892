// Writes a tiny BERT-shaped sequence classifier with seeded random weights, in
// the layout of a Hugging Face ONNX export (model.onnx, tokenizer.json,
// config.json). It exercises the bring-your-own-transformer path in tests
// without a model hub: the graph has the real BERT structure, only smaller.
//
//   npx tsx scripts/make-tiny-bert.ts <dir> [--seed 7] [--layers 2] [--no-token-type-ids]
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { encodeOnnxModel, type OnnxNode, type OnnxTensor } from "../lib/training/onnx/encodeOnnxModel.ts";
import { mulberry32 } from "../lib/random/mulberry32.ts";

export interface TinyBertOptions {
  seed?: number;
  /** Encoder layers (default 2). */
  layers?: number;
  /** Declare a token_type_ids input (default true); without it the graph adds token type 0, as DistilBERT-like exports do. */
  tokenTypeIds?: boolean;
  /** id2label names (default negative, neutral, positive). */
  labels?: readonly string[];
}

export interface TinyBertLayer {
  wq: Float32Array; bq: Float32Array; wk: Float32Array; bk: Float32Array; wv: Float32Array; bv: Float32Array;
  wo: Float32Array; bo: Float32Array; ln1g: Float32Array; ln1b: Float32Array;
  w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array; ln2g: Float32Array; ln2b: Float32Array;
}

/** Every weight of the model; matrices are row-major [in, out] (y = x·W + b). */
export interface TinyBertWeights {
  vocabSize: number; hidden: number; heads: number; intermediate: number; maxPositions: number; typeVocab: number; numLabels: number;
  layerNormEps: number; maskValue: number;
  wordEmb: Float32Array; posEmb: Float32Array; typeEmb: Float32Array; embLng: Float32Array; embLnb: Float32Array;
  layers: TinyBertLayer[];
  poolW: Float32Array; poolB: Float32Array; clsW: Float32Array; clsB: Float32Array;
}

export const TINY_BERT_MAX_LENGTH = 32;

// Specials first, as in BERT's vocab.txt; a few crypto-news words and pieces.
export const TINY_BERT_VOCAB: readonly string[] = [
  "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
  ".", ",", "!", "?", "'", "-", "$", "%", ":",
  "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "##0", "##1", "##2", "##5",
  "the", "a", "to", "of", "in", "on", "after", "as", "is", "and",
  "bitcoin", "ethereum", "ether", "price", "market", "exchange", "token", "coin", "##coin",
  "surge", "##s", "##d", "##ed", "##ing", "##er", "##ly", "##ish",
  "crash", "hack", "exploit", "etf", "approval", "approve", "listing", "de", "rally", "fall", "rise",
  "record", "high", "low", "new", "sec", "bull", "bear", "rug", "pull", "halving", "liquidation",
  "un", "##aff", "##able", "cafe",
];

// A seeded PRNG, so the same seed always writes the same model.
const prng = mulberry32;

function makeWeights(seed: number, layerCount: number, numLabels: number): TinyBertWeights {
  const rand = prng(seed);
  const normal = (std: number) => std * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const fill = (n: number, std: number, mean = 0) => Float32Array.from({ length: n }, () => mean + normal(std));
  const hidden = 32, heads = 4, intermediate = 64, maxPositions = 40, typeVocab = 2, vocabSize = TINY_BERT_VOCAB.length;
  const matrix = (inDim: number, outDim: number, gain = 1) => fill(inDim * outDim, gain / Math.sqrt(inDim));
  return {
    vocabSize, hidden, heads, intermediate, maxPositions, typeVocab, numLabels,
    layerNormEps: 1e-12,
    maskValue: -10000,
    wordEmb: fill(vocabSize * hidden, 0.5),
    posEmb: fill(maxPositions * hidden, 0.2),
    typeEmb: fill(typeVocab * hidden, 0.2),
    embLng: fill(hidden, 0.1, 1),
    embLnb: fill(hidden, 0.1),
    layers: Array.from({ length: layerCount }, () => ({
      // Larger query/key gains make attention peaked, so the mask visibly matters.
      wq: matrix(hidden, hidden, 2), bq: fill(hidden, 0.1), wk: matrix(hidden, hidden, 2), bk: fill(hidden, 0.1),
      wv: matrix(hidden, hidden), bv: fill(hidden, 0.1), wo: matrix(hidden, hidden), bo: fill(hidden, 0.1),
      ln1g: fill(hidden, 0.1, 1), ln1b: fill(hidden, 0.1),
      w1: matrix(hidden, intermediate), b1: fill(intermediate, 0.1), w2: matrix(intermediate, hidden), b2: fill(hidden, 0.1),
      ln2g: fill(hidden, 0.1, 1), ln2b: fill(hidden, 0.1),
    })),
    poolW: matrix(hidden, hidden), poolB: fill(hidden, 0.1),
    clsW: matrix(hidden, numLabels, 2), clsB: fill(numLabels, 0.1),
  };
}

/** The ONNX graph of BertForSequenceClassification for these weights (opset 17: LayerNormalization; GELU from Erf as torch exports it). */
export function tinyBertOnnx(w: TinyBertWeights, tokenTypeIds = true): Uint8Array {
  const { hidden: H, heads, intermediate: I } = w;
  const d = H / heads;
  const inits: OnnxTensor[] = [];
  const nodes: OnnxNode[] = [];
  const init = (name: string, dims: number[], data: Float32Array | readonly number[], type: "float" | "int64" = "float") => {
    inits.push({ name, type, dims, data });
    return name;
  };
  const node = (op: string, inputs: string[], output: string, attributes?: OnnxNode["attributes"]) => {
    nodes.push({ op, inputs, outputs: [output], ...(attributes ? { attributes } : {}) });
    return output;
  };
  const linear = (x: string, W: Float32Array, b: Float32Array, inDim: number, outDim: number, name: string) =>
    node("Add", [node("MatMul", [x, init(`${name}.weight`, [inDim, outDim], W)], `${name}.mm`), init(`${name}.bias`, [outDim], b)], `${name}.out`);
  const layerNorm = (x: string, g: Float32Array, b: Float32Array, name: string) =>
    node("LayerNormalization", [x, init(`${name}.gamma`, [H], g), init(`${name}.beta`, [H], b)], `${name}.out`, { axis: -1, epsilon: { float: w.layerNormEps } });

  init("const.zero", [], [0], "int64");
  init("const.one", [], [1], "int64");
  init("const.onef", [], [1]);
  init("const.half", [], [0.5]);
  init("const.sqrt2", [], [Math.SQRT2]);
  init("const.mask_value", [], [w.maskValue]);
  init("const.scale", [], [1 / Math.sqrt(d)]);
  init("const.mask_axes", [2], [1, 2], "int64");
  init("const.split_heads", [4], [0, 0, heads, d], "int64");
  init("const.merge_heads", [3], [0, 0, H], "int64");

  // Embeddings: word + position (0..seq-1) + token type, then LayerNorm.
  const words = node("Gather", [init("embeddings.word", [w.vocabSize, H], w.wordEmb), "input_ids"], "emb.words");
  const seqLen = node("Gather", [node("Shape", ["input_ids"], "emb.shape"), "const.one"], "emb.seq_len", { axis: 0 });
  const positions = node("Gather", [init("embeddings.position", [w.maxPositions, H], w.posEmb), node("Range", ["const.zero", seqLen, "const.one"], "emb.position_ids")], "emb.positions");
  const typeTable = init("embeddings.token_type", [w.typeVocab, H], w.typeEmb);
  const types = tokenTypeIds ? node("Gather", [typeTable, "token_type_ids"], "emb.types") : node("Gather", [typeTable, "const.zero"], "emb.types");
  let h = layerNorm(node("Add", [node("Add", [words, positions], "emb.wp"), types], "emb.sum"), w.embLng, w.embLnb, "emb.ln");

  // Additive mask [batch, 1, 1, seq]: 0 where attended, maskValue on padding.
  const maskF = node("Cast", ["attention_mask"], "mask.float", { to: 1 });
  const mask = node("Unsqueeze", [node("Mul", [node("Sub", ["const.onef", maskF], "mask.inv"), "const.mask_value"], "mask.add"), "const.mask_axes"], "mask.4d");

  w.layers.forEach((L, l) => {
    const p = `layer${l}`;
    const split = (x: string, name: string, perm: number[]) =>
      node("Transpose", [node("Reshape", [x, "const.split_heads"], `${name}.split`)], `${name}.heads`, { perm });
    const q = split(linear(h, L.wq, L.bq, H, H, `${p}.query`), `${p}.q`, [0, 2, 1, 3]);
    const kT = split(linear(h, L.wk, L.bk, H, H, `${p}.key`), `${p}.k`, [0, 2, 3, 1]);
    const v = split(linear(h, L.wv, L.bv, H, H, `${p}.value`), `${p}.v`, [0, 2, 1, 3]);
    const scores = node("Add", [node("Mul", [node("MatMul", [q, kT], `${p}.qk`), "const.scale"], `${p}.scaled`), mask], `${p}.masked`);
    const probs = node("Softmax", [scores], `${p}.probs`, { axis: -1 });
    const ctx = node("Reshape", [node("Transpose", [node("MatMul", [probs, v], `${p}.ctx`)], `${p}.ctx.t`, { perm: [0, 2, 1, 3] }), "const.merge_heads"], `${p}.ctx.merged`);
    const attn = layerNorm(node("Add", [linear(ctx, L.wo, L.bo, H, H, `${p}.attn_out`), h], `${p}.res1`), L.ln1g, L.ln1b, `${p}.ln1`);
    // GELU(x) = x · ½ · (1 + erf(x / √2))
    const f = linear(attn, L.w1, L.b1, H, I, `${p}.ffn_in`);
    const erf = node("Erf", [node("Div", [f, "const.sqrt2"], `${p}.gelu.div`)], `${p}.gelu.erf`);
    const gelu = node("Mul", [node("Mul", [f, node("Add", [erf, "const.onef"], `${p}.gelu.plus1`)], `${p}.gelu.mul`), "const.half"], `${p}.gelu`);
    h = layerNorm(node("Add", [linear(gelu, L.w2, L.b2, I, H, `${p}.ffn_out`), attn], `${p}.res2`), L.ln2g, L.ln2b, `${p}.ln2`);
  });

  // Pooler (dense + tanh on [CLS]) and classifier.
  const cls = node("Gather", [h, "const.zero"], "pooler.cls", { axis: 1 });
  const pooled = node("Tanh", [linear(cls, w.poolW, w.poolB, H, H, "pooler.dense")], "pooler.out");
  const logits = linear(pooled, w.clsW, w.clsB, H, w.numLabels, "classifier");
  nodes.push({ op: "Identity", inputs: [logits], outputs: ["logits"] });

  const inputs = [
    { name: "input_ids", type: "int64" as const, shape: ["batch_size", "sequence_length"] },
    { name: "attention_mask", type: "int64" as const, shape: ["batch_size", "sequence_length"] },
    ...(tokenTypeIds ? [{ name: "token_type_ids", type: "int64" as const, shape: ["batch_size", "sequence_length"] }] : []),
  ];
  return encodeOnnxModel({
    name: "tiny-bert",
    opset: 17,
    producer: "cryptoviz make-tiny-bert",
    inputs,
    outputs: [{ name: "logits", type: "float", shape: ["batch_size", w.numLabels] }],
    nodes,
    initializers: inits,
    metadata: { model: "tiny-bert" },
  });
}

/** A tokenizer.json as `tokenizers` writes it for bert-base-uncased, with the tiny vocabulary. */
export function tinyBertTokenizerJson(vocab: readonly string[] = TINY_BERT_VOCAB): object {
  const id = (t: string) => vocab.indexOf(t);
  const specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
  return {
    version: "1.0",
    truncation: { direction: "Right", max_length: TINY_BERT_MAX_LENGTH, strategy: "LongestFirst", stride: 0 },
    padding: null,
    added_tokens: specials.map((content) => ({ id: id(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } }],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } }, { Sequence: { id: "A", type_id: 0 } }, { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } }, { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(["[CLS]", "[SEP]"].map((t) => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab: Object.fromEntries(vocab.map((t, i) => [t, i])) },
  };
}

export function tinyBertConfigJson(w: TinyBertWeights, labels: readonly string[]): object {
  return {
    _name_or_path: "cryptoviz/tiny-bert",
    architectures: ["BertForSequenceClassification"],
    model_type: "bert",
    hidden_size: w.hidden,
    num_attention_heads: w.heads,
    num_hidden_layers: w.layers.length,
    intermediate_size: w.intermediate,
    hidden_act: "gelu",
    max_position_embeddings: w.maxPositions,
    type_vocab_size: w.typeVocab,
    vocab_size: w.vocabSize,
    layer_norm_eps: w.layerNormEps,
    pad_token_id: 0,
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
  };
}

/** Writes model.onnx, tokenizer.json and config.json into `dir`; returns the weights for reference computations. */
export async function writeTinyBert(dir: string, options: TinyBertOptions = {}): Promise<TinyBertWeights> {
  const labels = options.labels ?? ["negative", "neutral", "positive"];
  const weights = makeWeights(options.seed ?? 1, options.layers ?? 2, labels.length);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "model.onnx"), tinyBertOnnx(weights, options.tokenTypeIds ?? true));
  await writeFile(join(dir, "tokenizer.json"), JSON.stringify(tinyBertTokenizerJson(), null, 2));
  await writeFile(join(dir, "config.json"), JSON.stringify(tinyBertConfigJson(weights, labels), null, 2));
  return weights;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args.splice(i, 2)[1] : undefined;
  };
  const seed = Number(flag("--seed") ?? 1);
  const layers = Number(flag("--layers") ?? 2);
  const tokenTypeIds = !args.includes("--no-token-type-ids");
  const dir = args.find((a) => !a.startsWith("--"));
  if (!dir) {
    console.error("usage: tsx scripts/make-tiny-bert.ts <dir> [--seed N] [--layers N] [--no-token-type-ids]");
    process.exit(2);
  }
  await writeTinyBert(dir, { seed, layers, tokenTypeIds });
  console.log(`tiny BERT (seed ${seed}, ${layers} layers) written to ${resolve(dir)}`);
}
