// Reads a Hugging Face config.json: which sentiment each output logit means
// (id2label, or a cryptoviz_label_map override), and the longest input the
// position embeddings allow.
import { SENTIMENT_LABELS } from "../../../contracts/sentiment.ts";
import type { SentimentLabel } from "../../../contracts/sentiment.ts";

export interface BertModelConfig {
  /** `_name_or_path` of the export (e.g. `ProsusAI/finbert`), if recorded. */
  nameOrPath?: string;
  modelType?: string;
  maxPositionEmbeddings?: number;
  /** Output index → the model's own label name. */
  rawLabels: readonly string[];
  /** Output index → sentiment. */
  labels: readonly SentimentLabel[];
}

// Names seen in sentiment checkpoints besides the three canonical ones.
const ALIASES: Record<string, SentimentLabel> = {
  positive: "positive",
  pos: "positive",
  bullish: "positive",
  negative: "negative",
  neg: "negative",
  bearish: "negative",
  neutral: "neutral",
  neu: "neutral",
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function asSentiment(value: unknown): SentimentLabel | undefined {
  return typeof value === "string" ? SENTIMENT_LABELS.find((l) => l === value.trim().toLowerCase()) : undefined;
}

/** Validates a parsed config.json; `source` names the file in errors. */
export function parseModelConfig(json: unknown, source = "config.json"): BertModelConfig {
  if (!isObject(json)) throw new Error(`${source}: must be a JSON object`);
  const id2label = json.id2label;
  if (!isObject(id2label) || Object.keys(id2label).length === 0) throw new Error(`${source}: id2label is missing; a classifier's config names its labels (e.g. {"0": "positive", "1": "negative", "2": "neutral"})`);
  const count = Object.keys(id2label).length;
  const rawLabels: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = id2label[String(i)];
    if (typeof name !== "string") throw new Error(`${source}: id2label must map 0..${count - 1} to label names; "${i}" is missing`);
    rawLabels.push(name);
  }

  // The override is keyed by label name (any case) or by output index.
  const override = json.cryptoviz_label_map;
  if (override !== undefined && !isObject(override)) throw new Error(`${source}: cryptoviz_label_map must be an object such as {"LABEL_0": "negative"}`);
  const overrides = new Map<string, SentimentLabel>();
  for (const [key, value] of Object.entries(override ?? {})) {
    const label = asSentiment(value);
    if (!label) throw new Error(`${source}: cryptoviz_label_map.${key} is ${JSON.stringify(value)}; use positive, negative or neutral`);
    overrides.set(key.toLowerCase(), label);
  }

  const labels = rawLabels.map((name, i) => {
    const label = overrides.get(name.toLowerCase()) ?? overrides.get(String(i)) ?? ALIASES[name.trim().toLowerCase()];
    if (!label) {
      throw new Error(
        `${source}: id2label "${i}" is ${JSON.stringify(name)}, which is not positive, negative or neutral; ` +
          `add "cryptoviz_label_map": {${rawLabels.map((n) => `${JSON.stringify(n)}: "…"`).join(", ")}} to map every label`,
      );
    }
    return label;
  });

  const mpe = json.max_position_embeddings;
  return {
    nameOrPath: typeof json._name_or_path === "string" && json._name_or_path ? json._name_or_path : undefined,
    modelType: typeof json.model_type === "string" ? json.model_type : undefined,
    maxPositionEmbeddings: typeof mpe === "number" && Number.isInteger(mpe) && mpe > 0 ? mpe : undefined,
    rawLabels,
    labels,
  };
}
