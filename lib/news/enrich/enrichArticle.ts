// One article → its summary, sentiment, keywords and coin tags. Pure
// orchestration over NlpServices; coin tagging is local (a word list, no model).
import { tagCoins } from "../../nlp/coins/tagCoins.ts";
import { isBoilerplate } from "../../nlp/text/boilerplate.ts";
import { roughSentences } from "../../nlp/text/roughSentences.ts";
import type { SentimentPrediction } from "../../nlp/types.ts";
import type { SentimentLabel } from "../../../contracts/sentiment.ts";
import type { NewsSentiment } from "../../store/types.ts";
import type { NewsArticle } from "../../../contracts/news.ts";
import { EnrichmentFailedError, type NlpServices } from "./NlpServices.ts";

export interface Enrichment {
  summary: string;
  sentiment: NewsSentiment;
  keywords: string[];
  coins: string[];
}

/** The headline states the news; the body's sentences qualify it. */
export const TITLE_WEIGHT = 0.6;
/** Coin tags below this confidence are dropped (a passing mention is not what an article is about). */
export const MIN_COIN_SCORE = 0.5;
export const MAX_KEYWORDS = 10;
/** Text sent for inference: well under the functions' 100,000-character input limit; key content comes early in news. */
export const MAX_ENRICH_CHARS = 50_000;
/**
 * Body sentences classified, from the top: news says what matters first, and
 * the sentences of one article fit one request (the functions take 64 inputs).
 */
export const MAX_BODY_SENTENCES = 32;
/** Characters of one sentence sent: a headline model reads 256 tokens at most. */
export const MAX_SENTENCE_CHARS = 1_000;

const LABELS: readonly SentimentLabel[] = ["positive", "negative", "neutral"];

/**
 * The body as the sentiment model reads it: sentences, since the default
 * model is trained on headlines and a BERT export truncates at 256 tokens, so
 * the body as one text would be judged by its opening lines. The model-free
 * splitter is enough here and keeps wink out of the consumer; fragments
 * (captions, bylines) and boilerplate ("Read more", newsletter pitches) are left out.
 */
export function bodySentences(body: string): string[] {
  const out: string[] = [];
  for (const span of roughSentences(body)) {
    const sentence = body.slice(span.start, span.end);
    if (sentence.split(/\s+/).length < 4 || !/[A-Za-z]{2}/.test(sentence) || isBoilerplate(sentence)) continue;
    out.push(sentence.length <= MAX_SENTENCE_CHARS ? sentence : sentence.slice(0, MAX_SENTENCE_CHARS).replace(/\s+\S*$/, ""));
    if (out.length === MAX_BODY_SENTENCES) break;
  }
  return out;
}

/** The mean of the sentences' probabilities (each sentence counts the same); label = the most probable. */
export function meanSentiment(predictions: readonly SentimentPrediction[]): SentimentPrediction | undefined {
  if (predictions.length === 0) return undefined;
  const scores = Object.fromEntries(LABELS.map((l) => [l, predictions.reduce((s, p) => s + p.scores[l], 0) / predictions.length])) as Record<SentimentLabel, number>;
  return { label: mostProbable(scores), scores };
}

const mostProbable = (scores: Record<SentimentLabel, number>) => LABELS.reduce((best, l) => (scores[l] > scores[best] ? l : best), "neutral" as SentimentLabel);

/** Weighted mean of the title's and the body's probabilities; label = the most probable. */
export function combineSentiment(title: SentimentPrediction, body: SentimentPrediction | undefined): NewsSentiment {
  const w = body ? TITLE_WEIGHT : 1;
  const scores = Object.fromEntries(LABELS.map((l) => [l, w * title.scores[l] + (1 - w) * (body?.scores[l] ?? 0)])) as Record<SentimentLabel, number>;
  const score = Math.max(-1, Math.min(1, scores.positive - scores.negative));
  return { label: mostProbable(scores), score, scores };
}

export async function enrichArticle(article: NewsArticle, nlp: NlpServices): Promise<Enrichment> {
  const body = (article.content?.trim() ?? "").slice(0, MAX_ENRICH_CHARS);
  const sentences = bodySentences(body);
  // The three calls are independent: in parallel, one article takes one call's time.
  const [summary, sentiment, keywords] = await Promise.all([
    body ? nlp.summarize(body) : Promise.resolve(""),
    // Title and body sentences in one call (one request to an endpoint).
    nlp.sentiment([article.title, ...sentences]),
    nlp.keywords(body ? `${article.title}\n\n${body}` : article.title),
  ]);
  if (sentiment.length !== sentences.length + 1) throw new EnrichmentFailedError("sentiment", `${sentiment.length} predictions for ${sentences.length + 1} texts`);
  const coins = tagCoins({ title: article.title, body })
    .filter((c) => c.score >= MIN_COIN_SCORE)
    .map((c) => c.symbol);
  const seen = new Set<string>();
  const keywordTexts: string[] = [];
  for (const k of keywords) {
    const key = k.text.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    keywordTexts.push(k.text);
    if (keywordTexts.length === MAX_KEYWORDS) break;
  }
  return { summary, sentiment: combineSentiment(sentiment[0]!, meanSentiment(sentiment.slice(1))), keywords: keywordTexts, coins };
}
