// NlpServices over HTTP endpoints in the Hugging Face Inference API shapes,
// through `@huggingface/inference`: our inference functions, or a Hugging Face
// Inference Endpoint (e.g. an abstractive summariser) by changing a URL.
//
// Failures are sorted by what should happen next: an endpoint that is down,
// slow, loading, throttled or misconfigured is EnrichmentUnavailableError (the
// article returns to the queue); one that refuses this request (400, 413, 422)
// or answers something that is not a result is EnrichmentFailedError (the
// article can never succeed: DLQ with the reason).
import {
  getProviderHelper,
  InferenceClient,
  InferenceClientProviderApiError,
  InferenceClientProviderOutputError,
  makeRequestOptions,
} from "@huggingface/inference";
import { CHARS_PER_TOKEN, SUMMARY_MAX_CHARS, truncateAtWord } from "../../nlp/summaryLimits.ts";
import type { SentimentPrediction } from "../../nlp/types.ts";
import type { SentimentLabel } from "../../../contracts/sentiment.ts";
import { EnrichmentFailedError, EnrichmentUnavailableError, type NlpServices } from "./NlpServices.ts";

export interface RemoteNlpConfig {
  sentimentUrl: string;
  summaryUrl: string;
  keywordsUrl: string;
  /**
   * Bearer token: our functions' INFERENCE_TOKEN, or a Hugging Face token. A
   * function is asked before every call, so a rotated token (SSM, cached) is
   * picked up by a warm consumer without a restart.
   */
  token?: string | (() => Promise<string | undefined>);
  /** Per call; a slow endpoint fails the call so the message returns to the queue. */
  timeoutMs: number;
  /** Maps an endpoint's labels (e.g. LABEL_0) to ours; lower-cased labels map to themselves. */
  labelMap?: Readonly<Record<string, SentimentLabel>>;
  /** The summary's bound in characters, whatever the endpoint returns (default 400, as the extractive summary). */
  summaryMaxChars?: number;
  /** Characters of the article sent for a summary (default 20,000). */
  summaryInputChars?: number;
}

/**
 * Text sent to the summary endpoint: ~5 times what a 1,024-token abstractive
 * model reads (it truncates the rest itself, `truncation: only_first`), and the
 * whole of nearly every news article for our extractive function.
 */
export const SUMMARY_INPUT_CHARS = 20_000;
/** An abstractive summary at least this long (tokens), so that it says something. */
export const SUMMARY_MIN_TOKENS = 16;

/** Statuses that refuse this request itself: sending it again gets the same answer. */
const REFUSED = new Set([400, 413, 422]);
const LABELS = new Set<string>(["positive", "negative", "neutral"]);

export function toPrediction(items: readonly { label: string; score: number }[], labelMap: Readonly<Record<string, SentimentLabel>> = {}): SentimentPrediction {
  const scores: Record<SentimentLabel, number> = { positive: 0, negative: 0, neutral: 0 };
  for (const { label, score } of items) {
    const mapped = labelMap[label] ?? label.toLowerCase();
    if (!LABELS.has(mapped)) throw new EnrichmentFailedError("sentiment", `the endpoint answered an unknown label "${label}"; map it with INFERENCE_SENTIMENT_LABELS`);
    scores[mapped as SentimentLabel] += score;
  }
  const total = scores.positive + scores.negative + scores.neutral;
  if (!(total > 0)) throw new EnrichmentFailedError("sentiment", "the endpoint answered no scores");
  for (const l of LABELS) scores[l as SentimentLabel] /= total;
  const label = (Object.keys(scores) as SentimentLabel[]).reduce((a, b) => (scores[b] > scores[a] ? b : a));
  return { label, scores };
}

type Item = { label: string; score: number };
const isItem = (x: unknown): x is Item =>
  typeof x === "object" && x !== null && typeof (x as Item).label === "string" && typeof (x as Item).score === "number" && Number.isFinite((x as Item).score) && (x as Item).score >= 0;
const isItemList = (x: unknown): x is Item[] => Array.isArray(x) && x.length > 0 && x.every(isItem);

/** text-classification's answer to `n` inputs: one list each (`[[…], …]`); a single input may also be answered flat (`[…]`). */
function resultLists(body: unknown, n: number): Item[][] {
  if (Array.isArray(body) && body.length === n && body.every(isItemList)) return body;
  if (n === 1 && isItemList(body)) return [body];
  const shape = Array.isArray(body) ? `${body.length} entries` : typeof body;
  throw new EnrichmentFailedError("sentiment", `expected ${n} list(s) of {label, score}, the endpoint answered ${shape}: ${JSON.stringify(body).slice(0, 200)}`);
}

/** What to do about a failed call: see the header. */
function sorted(service: string, error: unknown): Error {
  if (error instanceof EnrichmentFailedError || error instanceof EnrichmentUnavailableError) return error;
  if (error instanceof InferenceClientProviderApiError) {
    const { status, body } = error.httpResponse;
    const estimated = typeof body === "object" && body !== null && typeof (body as { estimated_time?: unknown }).estimated_time === "number" ? (body as { estimated_time: number }).estimated_time : undefined;
    const detail = `HTTP ${status}: ${error.message}${estimated !== undefined ? ` (estimated_time ${estimated} s)` : ""}`;
    if (REFUSED.has(status)) return new EnrichmentFailedError(service, `the endpoint refused the request (${detail})`, error);
    return new EnrichmentUnavailableError(service, new Error(detail, { cause: error }));
  }
  if (error instanceof InferenceClientProviderOutputError) return new EnrichmentFailedError(service, `the endpoint answered a malformed result (${error.message})`, error);
  // Connection refused, reset, timed out: the endpoint, not the article.
  return new EnrichmentUnavailableError(service, error);
}

async function call<T>(service: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw sorted(service, error);
  }
}

/** A failed answer read the way @huggingface/inference reads it, so that `sorted` treats both alike. */
async function apiError(url: string, response: Response): Promise<InferenceClientProviderApiError> {
  const text = await response.text().catch(() => "");
  let body: InferenceClientProviderApiError["httpResponse"]["body"] = text;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) body = parsed as Exclude<typeof body, string>;
  } catch {
    // not JSON: keep the text
  }
  const message = typeof body === "object" && body !== null && typeof (body as { error?: unknown }).error === "string" ? (body as { error: string }).error : text.slice(0, 200);
  return new InferenceClientProviderApiError(`Failed to perform inference: ${message || response.statusText}`, { url, method: "POST" }, {
    requestId: response.headers.get("x-request-id") ?? "",
    status: response.status,
    body,
  });
}

export function remoteNlpServices(config: RemoteNlpConfig): NlpServices {
  const client = new InferenceClient();
  const token = config.token;
  // Inside each call, so a token that cannot be read returns the article to the queue like an outage.
  const auth = async (): Promise<{ accessToken?: string }> => {
    const value = typeof token === "function" ? await token() : token;
    return value ? { accessToken: value } : {};
  };
  // No client-side retries: the queue is the retry mechanism, with backoff and a DLQ.
  const options = () => ({ signal: AbortSignal.timeout(config.timeoutMs), retry_on_error: false });
  const summary = client.endpoint(config.summaryUrl);
  const keywords = client.endpoint(config.keywordsUrl);
  const summaryMaxChars = config.summaryMaxChars ?? SUMMARY_MAX_CHARS;
  const summaryInputChars = config.summaryInputChars ?? SUMMARY_INPUT_CHARS;
  const classificationHelper = getProviderHelper("hf-inference", "text-classification");

  /**
   * Every text in one request (`inputs: [...]`). The client's textClassification
   * keeps only the first input's answer, so the request is built by the client
   * (URL, token, body) and the whole answer is read here.
   */
  async function classify(texts: readonly string[]): Promise<SentimentPrediction[]> {
    const { url, info } = await makeRequestOptions(
      { endpointUrl: config.sentimentUrl, ...(await auth()), inputs: texts, parameters: { top_k: 3 } },
      classificationHelper,
      { task: "text-classification", signal: AbortSignal.timeout(config.timeoutMs) },
    );
    const response = await fetch(url, info);
    if (!response.ok) throw await apiError(url, response);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      // A body that is not JSON is a wrong answer; a connection cut mid-body is not.
      if (error instanceof SyntaxError) throw new EnrichmentFailedError("sentiment", `the endpoint answered a body that is not JSON (${error.message})`);
      throw error;
    }
    return resultLists(body, texts.length).map((items) => toPrediction(items, config.labelMap));
  }

  return {
    callTimeoutMs: config.timeoutMs,
    sentiment: (texts) => call("sentiment", () => (texts.length === 0 ? Promise.resolve([]) : classify(texts))),
    summarize: (text) =>
      call("summarization", async () => {
        // Cut at a word: what the endpoint reads must not end mid-word.
        const inputs = text.length <= summaryInputChars ? text : text.slice(0, summaryInputChars).replace(/\s+\S*$/, "");
        const parameters = {
          // HF summarization parameters: a model truncates what exceeds its window
          // instead of failing, and writes about as much as the bound below.
          truncation: "only_first" as const,
          max_length: Math.floor(summaryMaxChars / CHARS_PER_TOKEN),
          min_length: SUMMARY_MIN_TOKENS,
        };
        const out = await summary.summarization({ ...(await auth()), inputs, parameters }, options());
        // The same bound as the extractive summary, whatever the model wrote.
        return truncateAtWord(out.summary_text.trim(), summaryMaxChars);
      }),
    keywords: (text) =>
      call("keywords", async () =>
        (await keywords.tokenClassification({ ...(await auth()), inputs: text }, options())).map((k) => ({ text: k.word, type: k.entity_group ?? "phrase", score: k.score })),
      ),
  };
}
