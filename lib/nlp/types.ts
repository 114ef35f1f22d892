// The contracts between the NLP pieces (sentiment models, summariser, keyword
// extractor, coin tagger), the inference functions and the news consumer.
import type { SentimentLabel } from "../../contracts/sentiment.ts";

/** One text's sentiment: the winning label and calibrated probabilities that sum to 1. */
export interface SentimentPrediction {
  label: SentimentLabel;
  scores: Record<SentimentLabel, number>;
}

/** Any sentiment model: the shipped linear model or a bring-your-own BERT export. */
export interface SentimentClassifier {
  /** Model name for logs and the model card (e.g. `cryptoviz-sentiment-v1`, `finbert`). */
  readonly name: string;
  /** Classifies a batch; the output has one prediction per input, in order. */
  classify(texts: readonly string[]): Promise<SentimentPrediction[]>;
  /** Releases the ONNX session. */
  close(): Promise<void>;
}

/** A ranked key phrase or named entity found in a text. */
export interface Keyword {
  /** The phrase as it is best written (e.g. `Ethereum Foundation`, `spot ETF`). */
  text: string;
  /** `phrase` for key phrases; an entity type (`ORG`, `PERSON`, `GPE`, `MONEY`, `DATE`, …) otherwise. */
  type: string;
  /** Relevance in (0, 1], highest first in any returned list. */
  score: number;
  /** Character offsets of the first occurrence in the input text. */
  start: number;
  end: number;
}

/** A coin an article is about. */
export interface CoinTag {
  /** Canonical ticker, upper case (BTC, ETH, …): the `<TAG>` of the sentiment MQTT topics. */
  symbol: string;
  /** How many times it was mentioned (by any alias). */
  mentions: number;
  /** Confidence in (0, 1]. */
  score: number;
}
