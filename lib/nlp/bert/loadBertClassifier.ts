// Loads a Hugging Face BERT-family sequence classifier exported to ONNX (e.g.
// FinBERT through Optimum) from a directory holding model.onnx, tokenizer.json
// and config.json, and serves it as a SentimentClassifier.
import { access, readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import * as ort from "onnxruntime-node";
import type { SentimentClassifier, SentimentPrediction } from "../types.ts";
import { parseModelConfig } from "./modelConfig.ts";
import { toPrediction } from "./predictions.ts";
import { WordPieceTokenizer, type BatchEncoding, type Encoding } from "./wordpiece.ts";

export interface BertClassifierOptions {
  /** Upper bound on tokens per text, [CLS] and [SEP] included. */
  maxLength?: number;
  /** Texts per ONNX run (default 16): bounds memory, since a batch pads to its longest text. */
  batchSize?: number;
  /** ONNX Runtime intra-op threads (default: its own choice, one per core). */
  intraOpNumThreads?: number;
}

const REQUIRED_FILES = ["model.onnx", "tokenizer.json", "config.json"] as const;
const DEFAULT_MAX_LENGTH = 512;

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(`${path}: cannot read (${(err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

function positiveInt(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new RangeError(`loadBertClassifier: ${name} must be a positive integer, got ${value}`);
  return value;
}

/** tokenizer_config.json's model_max_length, when it is a real limit (HF writes ~1e30 for "none"). */
async function tokenizerConfigMaxLength(dir: string): Promise<number | undefined> {
  const path = join(dir, "tokenizer_config.json");
  try {
    await access(path);
  } catch {
    return undefined;
  }
  const json = await readJson(path);
  const v = (json as { model_max_length?: unknown } | null)?.model_max_length;
  return typeof v === "number" && Number.isInteger(v) && v > 0 && v <= 1_000_000 ? v : undefined;
}

// The inputs a BERT export may declare, built from one tokenised batch.
const FEEDS: Record<string, (enc: BatchEncoding) => BigInt64Array> = {
  input_ids: (enc) => enc.inputIds,
  attention_mask: (enc) => enc.attentionMask,
  token_type_ids: (enc) => enc.tokenTypeIds,
  position_ids: (enc) => BigInt64Array.from({ length: enc.batch * enc.length }, (_, i) => BigInt(i % enc.length)),
};

function inputType(session: ort.InferenceSession, name: string): "int64" | "int32" {
  const meta = session.inputMetadata.find((m) => m.name === name);
  return meta?.isTensor && meta.type === "int32" ? "int32" : "int64";
}

export async function loadBertClassifier(
  dir: string,
  options: { maxLength?: number; batchSize?: number; intraOpNumThreads?: number } = {},
): Promise<SentimentClassifier> {
  const root = resolve(dir);
  const batchSize = positiveInt("batchSize", options.batchSize) ?? 16;
  positiveInt("maxLength", options.maxLength);
  positiveInt("intraOpNumThreads", options.intraOpNumThreads);

  const missing: string[] = [];
  for (const file of REQUIRED_FILES) await access(join(root, file)).catch(() => missing.push(file));
  if (missing.length) {
    throw new Error(`${root}: not a BERT classifier directory, missing ${missing.join(", ")} (expected model.onnx, tokenizer.json and config.json, e.g. from \`optimum-cli export onnx --task text-classification\`)`);
  }

  const configPath = join(root, "config.json");
  const config = parseModelConfig(await readJson(configPath), configPath);
  const tokenizer = await WordPieceTokenizer.fromFile(join(root, "tokenizer.json"));

  // Longest input: the tokenizer's own limit, else the model's; never beyond the position table.
  const positions = config.maxPositionEmbeddings ?? Infinity;
  const preferred = tokenizer.truncationMaxLength ?? (await tokenizerConfigMaxLength(root)) ?? config.maxPositionEmbeddings ?? DEFAULT_MAX_LENGTH;
  const maxLength = Math.min(preferred, positions, options.maxLength ?? Infinity);
  if (maxLength <= tokenizer.specialTokenCount) throw new RangeError(`loadBertClassifier: maxLength ${maxLength} leaves no room for text beside the special tokens`);

  const modelPath = join(root, "model.onnx");
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelPath, {
      graphOptimizationLevel: "all",
      executionMode: "sequential",
      interOpNumThreads: 1,
      ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    });
  } catch (err) {
    throw new Error(`${modelPath}: cannot load ONNX model (${(err as Error).message})`);
  }

  const unknown = session.inputNames.filter((n) => !(n in FEEDS));
  if (unknown.length || !session.inputNames.includes("input_ids")) {
    await session.release();
    throw new Error(
      `${modelPath}: model inputs are [${session.inputNames.join(", ")}]; a BERT classifier takes input_ids and optionally attention_mask, token_type_ids, position_ids` +
        (unknown.length ? ` (unsupported: ${unknown.join(", ")})` : ""),
    );
  }
  const outputName = session.outputNames.includes("logits") ? "logits" : session.outputNames[0]!;
  const feeds = session.inputNames.map((name) => ({ name, type: inputType(session, name), build: FEEDS[name]! }));

  const name = basename(config.nameOrPath ?? root);
  let closed = false;

  async function runBatch(rows: readonly Encoding[]): Promise<SentimentPrediction[]> {
    const enc = tokenizer.pad(rows);
    const dims = [enc.batch, enc.length];
    const input: Record<string, ort.Tensor> = {};
    for (const f of feeds) {
      const data = f.build(enc);
      input[f.name] = f.type === "int32" ? new ort.Tensor("int32", Int32Array.from(data, Number), dims) : new ort.Tensor("int64", data, dims);
    }
    const out = (await session.run(input))[outputName]!;
    const classes = out.dims[out.dims.length - 1];
    if (out.dims.length !== 2 || out.dims[0] !== enc.batch || classes !== config.labels.length) {
      throw new Error(`${modelPath}: output ${outputName} has shape [${out.dims.join(", ")}], expected [${enc.batch}, ${config.labels.length}] (one logit per id2label entry in ${configPath})`);
    }
    const logits = out.data as Float32Array;
    return rows.map((_, r) => toPrediction(logits.subarray(r * classes, (r + 1) * classes), config.labels));
  }

  return {
    name,
    async classify(texts) {
      if (closed) throw new Error(`${name}: classify after close`);
      // Batches of similar lengths waste little on padding; the mask makes the
      // scores independent of batch company, so only the output order matters.
      const rows = texts.map((t) => tokenizer.encode(t, { maxLength }));
      const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.ids.length - rows[b]!.ids.length);
      const out = new Array<SentimentPrediction>(texts.length);
      for (let i = 0; i < order.length; i += batchSize) {
        const chunk = order.slice(i, i + batchSize);
        const predictions = await runBatch(chunk.map((k) => rows[k]!));
        chunk.forEach((k, j) => (out[k] = predictions[j]!));
      }
      return out;
    },
    async close() {
      if (closed) return;
      closed = true;
      await session.release();
    },
  };
}
