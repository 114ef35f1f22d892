// NlpServices over HTTP endpoints in the Hugging Face Inference API shapes,
// through `@huggingface/inference`: our inference functions, or a Hugging Face
// Inference Endpoint (e.g. an abstractive summariser) by changing a URL.
import { InferenceClient } from "@huggingface/inference";
import type { SentimentLabel, SentimentPrediction } from "../../nlp/types.ts";
import { EnrichmentUnavailableError, type NlpServices } from "./NlpServices.ts";

export interface RemoteNlpConfig {
  sentimentUrl: string;
  summaryUrl: string;
  keywordsUrl: string;
  /** Bearer token: our functions' INFERENCE_TOKEN, or a Hugging Face token. */
  token?: string;
  /** Per call; a slow endpoint fails the call so the message returns to the queue. */
  timeoutMs: number;
  /** Maps an endpoint's labels (e.g. LABEL_0) to ours; lower-cased labels map to themselves. */
  labelMap?: Readonly<Record<string, SentimentLabel>>;
}

const LABELS = new Set<string>(["positive", "negative", "neutral"]);

export function toPrediction(items: readonly { label: string; score: number }[], labelMap: Readonly<Record<string, SentimentLabel>> = {}): SentimentPrediction {
  const scores: Record<SentimentLabel, number> = { positive: 0, negative: 0, neutral: 0 };
  for (const { label, score } of items) {
    const mapped = labelMap[label] ?? label.toLowerCase();
    if (!LABELS.has(mapped)) throw new Error(`sentiment endpoint answered an unknown label "${label}"; map it with INFERENCE_SENTIMENT_LABELS`);
    scores[mapped as SentimentLabel] += score;
  }
  const total = scores.positive + scores.negative + scores.neutral;
  if (!(total > 0)) throw new Error("sentiment endpoint answered no scores");
  for (const l of LABELS) scores[l as SentimentLabel] /= total;
  const label = (Object.keys(scores) as SentimentLabel[]).reduce((a, b) => (scores[b] > scores[a] ? b : a));
  return { label, scores };
}

async function call<T>(service: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new EnrichmentUnavailableError(service, error);
  }
}

export function remoteNlpServices(config: RemoteNlpConfig): NlpServices {
  const client = new InferenceClient(config.token);
  // No client-side retries: the queue is the retry mechanism, with backoff and a DLQ.
  const options = () => ({ signal: AbortSignal.timeout(config.timeoutMs), retry_on_error: false });
  const sentiment = client.endpoint(config.sentimentUrl);
  const summary = client.endpoint(config.summaryUrl);
  const keywords = client.endpoint(config.keywordsUrl);
  return {
    sentiment: (texts) =>
      call("sentiment", () =>
        Promise.all(texts.map(async (inputs) => toPrediction(await sentiment.textClassification({ inputs, parameters: { top_k: 3 } }, options()), config.labelMap))),
      ),
    summarize: (text) => call("summarization", async () => (await summary.summarization({ inputs: text }, options())).summary_text),
    keywords: (text) =>
      call("keywords", async () =>
        (await keywords.tokenClassification({ inputs: text }, options())).map((k) => ({ text: k.word, type: k.entity_group ?? "phrase", score: k.score })),
      ),
  };
}
