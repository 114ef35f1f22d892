// Which NlpServices the news consumer uses, from its environment:
//   NLP_MODE=remote (default)  our inference functions under INFERENCE_BASE_URL
//                              (<base>/sentiment, /summarization, /keywords), each
//                              overridable: INFERENCE_SENTIMENT_URL, _SUMMARY_URL,
//                              _KEYWORDS_URL (e.g. a Hugging Face Inference Endpoint)
//   NLP_MODE=in-process        the models in this process (SENTIMENT_MODEL_DIR)
//   INFERENCE_TOKEN / INFERENCE_TOKEN_PARAMETER   the bearer token, or its SSM name: the caller reads it
//                              (lib/adapters/aws/secretFromEnv.ts) and passes the Secret
import { ConfigError } from "../../config/ConfigError.ts";
import { envEnum, envInt, envOptional, envOptionalUrl, envUrl } from "../../config/readEnv.ts";
import { tokensOf, type Secret } from "../../secrets/Secret.ts";
import type { SentimentLabel } from "../../../contracts/sentiment.ts";
import type { NlpServices } from "./NlpServices.ts";
import { remoteNlpServices } from "./remoteNlpServices.ts";

type Env = Readonly<Record<string, string | undefined>>;

function labelMap(env: Env): Record<string, SentimentLabel> | undefined {
  const raw = envOptional(env, "INFERENCE_SENTIMENT_LABELS");
  if (raw === undefined) return undefined;
  // e.g. "LABEL_0=negative,LABEL_1=neutral,LABEL_2=positive"
  const out: Record<string, SentimentLabel> = {};
  for (const pair of raw.split(",")) {
    const [from, to] = pair.split("=").map((s) => s.trim());
    if (!from || (to !== "positive" && to !== "negative" && to !== "neutral")) {
      throw new ConfigError("INFERENCE_SENTIMENT_LABELS", `expected label=positive|negative|neutral pairs, got "${pair}"`);
    }
    out[from] = to;
  }
  return out;
}

export async function nlpServicesFromEnv(env: Env, secret: Secret): Promise<NlpServices> {
  const mode = envEnum(env, "NLP_MODE", ["remote", "in-process"] as const, "remote");
  if (mode === "in-process") {
    // Loaded only in this mode: the remote consumer's package carries no ONNX Runtime.
    const [{ loadSentimentClassifier, defaultSentimentModelDir }, { localNlpServices }] = await Promise.all([
      import("../../nlp/loadSentimentClassifier.ts"),
      import("./localNlpServices.ts"),
    ]);
    return localNlpServices(await loadSentimentClassifier(envOptional(env, "SENTIMENT_MODEL_DIR") ?? defaultSentimentModelDir()));
  }
  // During a rotation the parameter holds "new,old": the first is the one to send.
  const token = async () => tokensOf(await secret.value())[0];
  const labels = labelMap(env);
  const base = envOptionalUrl(env, "INFERENCE_BASE_URL");
  const url = (name: string, path: string) => envUrl(env, name, base === undefined ? undefined : `${base}/${path}`);
  return remoteNlpServices({
    sentimentUrl: url("INFERENCE_SENTIMENT_URL", "sentiment"),
    summaryUrl: url("INFERENCE_SUMMARY_URL", "summarization"),
    keywordsUrl: url("INFERENCE_KEYWORDS_URL", "keywords"),
    token,
    timeoutMs: envInt(env, "INFERENCE_TIMEOUT_MS", 10_000, { min: 100, max: 300_000 }),
    ...(labels !== undefined ? { labelMap: labels } : {}),
  });
}
