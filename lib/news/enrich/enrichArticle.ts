// One article → its summary, sentiment, keywords and coin tags. Pure
// orchestration over NlpServices; coin tagging is local (a word list, no model).
import { tagCoins } from "../../nlp/coins/tagCoins.ts";
import type { SentimentLabel, SentimentPrediction } from "../../nlp/types.ts";
import type { NewsSentiment } from "../../store/types.ts";
import type { NewsArticle } from "../article.ts";
import type { NlpServices } from "./NlpServices.ts";

export interface Enrichment {
  summary: string;
  sentiment: NewsSentiment;
  keywords: string[];
  coins: string[];
}

/** The headline states the news; the body's key sentences qualify it. */
export const TITLE_WEIGHT = 0.6;
/** Coin tags below this confidence are dropped (a passing mention is not what an article is about). */
export const MIN_COIN_SCORE = 0.5;
export const MAX_KEYWORDS = 10;
/** Text sent for inference: well under the functions' 100,000-character input limit; key content comes early in news. */
export const MAX_ENRICH_CHARS = 50_000;

const LABELS: readonly SentimentLabel[] = ["positive", "negative", "neutral"];

/** Weighted mean of the title's and the body's probabilities; label = the most probable. */
export function combineSentiment(title: SentimentPrediction, body: SentimentPrediction | undefined): NewsSentiment {
  const w = body ? TITLE_WEIGHT : 1;
  const scores = Object.fromEntries(LABELS.map((l) => [l, w * title.scores[l] + (1 - w) * (body?.scores[l] ?? 0)])) as Record<SentimentLabel, number>;
  const label = LABELS.reduce((best, l) => (scores[l] > scores[best] ? l : best), "neutral" as SentimentLabel);
  const score = Math.max(-1, Math.min(1, scores.positive - scores.negative));
  return { label, score, scores };
}

export async function enrichArticle(article: NewsArticle, nlp: NlpServices): Promise<Enrichment> {
  const body = (article.content?.trim() ?? "").slice(0, MAX_ENRICH_CHARS);
  const summary = body ? await nlp.summarize(body) : "";
  const texts = summary ? [article.title, summary] : [article.title];
  const [sentiment, keywords] = await Promise.all([nlp.sentiment(texts), nlp.keywords(body ? `${article.title}\n\n${body}` : article.title)]);
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
  return { summary, sentiment: combineSentiment(sentiment[0]!, sentiment[1]), keywords: keywordTexts, coins };
}
