// What enrichment needs from the models, whether they run in this process or
// behind inference endpoints (our functions or Hugging Face Inference Endpoints).
import type { Keyword, SentimentPrediction } from "../../nlp/types.ts";

export interface NlpServices {
  /** One prediction per text, in order. */
  sentiment(texts: readonly string[]): Promise<SentimentPrediction[]>;
  summarize(text: string): Promise<string>;
  keywords(text: string): Promise<Pick<Keyword, "text" | "type" | "score">[]>;
}

/** Enrichment could not be done now (endpoint down, slow, 5xx): the message goes back to the queue. */
export class EnrichmentUnavailableError extends Error {
  constructor(
    readonly service: string,
    cause: unknown,
  ) {
    super(`${service} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "EnrichmentUnavailableError";
  }
}
