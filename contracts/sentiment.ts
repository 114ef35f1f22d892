/** The three sentiment classes, as models, the store, the API and the dashboard name them. */
export type SentimentLabel = "positive" | "negative" | "neutral";

export const SENTIMENT_LABELS: readonly SentimentLabel[] = ["positive", "negative", "neutral"];
