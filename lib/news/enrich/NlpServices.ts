import { PermanentError, TransientError } from "../../errors/failure.ts";
// What enrichment needs from the models, whether they run in this process or
// behind inference endpoints (our functions or Hugging Face Inference Endpoints).
import type { Keyword, SentimentPrediction } from "../../nlp/types.ts";

export interface NlpServices {
  /** One prediction per text, in order (one call for the whole list). */
  sentiment(texts: readonly string[]): Promise<SentimentPrediction[]>;
  summarize(text: string): Promise<string>;
  keywords(text: string): Promise<Pick<Keyword, "text" | "type" | "score">[]>;
  /** The longest one call may take before it fails (remote: INFERENCE_TIMEOUT_MS); unset in process. */
  readonly callTimeoutMs?: number;
}

/**
 * Enrichment could not be done now (endpoint down, slow, 5xx, model loading,
 * a throttled or misconfigured endpoint): the message goes back to the queue
 * and is tried again.
 */
export class EnrichmentUnavailableError extends TransientError {
  constructor(
    readonly service: string,
    cause: unknown,
  ) {
    super(`${service} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "EnrichmentUnavailableError";
  }
}

/**
 * Enrichment of this article can never succeed (the endpoint refused our
 * request with a 400/413/422, or answered something that is not a valid
 * result): retrying changes nothing, so the message goes to the DLQ at once
 * with this reason.
 */
export class EnrichmentFailedError extends PermanentError {
  constructor(
    readonly service: string,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(`${service} failed: ${reason}`, cause === undefined ? undefined : { cause });
    this.name = "EnrichmentFailedError";
  }
}
