// Loads any sentiment model directory by its config.json: the project's own
// linear model (`model_type: cryptoviz-linear`) or a Hugging Face–format
// BERT-family classifier exported to ONNX (bring your own, e.g. FinBERT).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SentimentClassifier } from "./types.ts";

export interface SentimentLoadOptions {
  intraOpNumThreads?: number;
  /** Texts per inference run. */
  batchSize?: number;
  /** BERT only: tokens per text after truncation. */
  maxLength?: number;
}

const BERT_TYPES = new Set(["bert", "distilbert", "roberta", "albert", "electra", "xlm-roberta", "deberta", "deberta-v2", "camembert", "mpnet"]);

export const DEFAULT_MODEL_NAME = "cryptoviz-sentiment";

/** `dir` and its ancestors, nearest first. */
function upwards(dir: string): string[] {
  const out = [dir];
  for (let d = dir; dirname(d) !== d; d = dirname(d)) out.push(dirname(d));
  return out;
}

/**
 * The default model directory: $SENTIMENT_MODEL_DIR if set; otherwise the first
 * models/cryptoviz-sentiment holding a config.json under $LAMBDA_TASK_ROOT, or
 * found walking up from this module (a source checkout, or a bundle under
 * .esbuild/ or /var/task) or from the working directory.
 */
export function defaultSentimentModelDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SENTIMENT_MODEL_DIR) return resolve(env.SENTIMENT_MODEL_DIR);
  const rel = join("models", DEFAULT_MODEL_NAME);
  const starts: string[] = [];
  if (env.LAMBDA_TASK_ROOT) starts.push(env.LAMBDA_TASK_ROOT);
  // import.meta.url is empty when esbuild bundles this file as CJS; __dirname exists only there.
  const url = (import.meta as { url?: string }).url;
  if (typeof url === "string" && url.startsWith("file:")) starts.push(dirname(fileURLToPath(url)));
  if (typeof __dirname === "string") starts.push(__dirname);
  starts.push(process.cwd());
  const candidates = starts.flatMap((s) => upwards(resolve(s)).map((d) => join(d, rel)));
  return candidates.find((c) => existsSync(join(c, "config.json"))) ?? resolve(process.cwd(), rel);
}

export async function loadSentimentClassifier(dir: string, options: SentimentLoadOptions = {}): Promise<SentimentClassifier> {
  const path = join(dir, "config.json");
  if (!existsSync(path)) throw new Error(`sentiment model ${dir}: no config.json (expected a model directory with config.json and model.onnx)`);
  let config: { model_type?: unknown; architectures?: unknown };
  try {
    config = JSON.parse(readFileSync(path, "utf8")) as typeof config;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
  const type = typeof config.model_type === "string" ? config.model_type : undefined;
  const architectures = Array.isArray(config.architectures) ? config.architectures.filter((a): a is string => typeof a === "string") : [];
  if (type === "cryptoviz-linear") {
    const { loadLinearSentimentModel } = await import("./sentiment/loadLinearSentimentModel.ts");
    return loadLinearSentimentModel(dir, { intraOpNumThreads: options.intraOpNumThreads, batchSize: options.batchSize });
  }
  if ((type && BERT_TYPES.has(type)) || architectures.some((a) => a.endsWith("ForSequenceClassification"))) {
    // Imported lazily: the default model never loads the WordPiece tokeniser.
    const { loadBertClassifier } = await import("./bert/loadBertClassifier.ts");
    return loadBertClassifier(dir, { maxLength: options.maxLength, batchSize: options.batchSize, intraOpNumThreads: options.intraOpNumThreads });
  }
  throw new Error(
    `${path}: model_type ${type === undefined ? "is missing" : `"${type}" is not supported`} (expected "cryptoviz-linear", a BERT-family type such as ${[...BERT_TYPES].slice(0, 4).join(", ")}, or architectures containing *ForSequenceClassification)`,
  );
}
