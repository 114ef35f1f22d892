// Extractive summary: TextRank over the article's sentences. Sentences are
// nodes, edges are TF-IDF cosine similarities of their content words, and
// PageRank finds the sentences the rest of the article keeps coming back to.
// News puts its point early and names it in the headline, so the random jump
// favours the lead and the final rank is scaled by lead position and by
// similarity to the title. Fragments, boilerplate and near-duplicates never
// compete. The chosen sentences are returned verbatim, in article order.
import { analyze, type Analysis, type Sentence } from "./text/analyze.ts";
import { analyzeCached } from "./text/analyzeCached.ts";
import { SUMMARY_MAX_CHARS, SUMMARY_MAX_SENTENCES, truncateAtWord } from "./summaryLimits.ts";
import { isBoilerplate } from "./text/boilerplate.ts";

export interface SummarizeOptions {
  /** At most this many sentences (default 3). */
  maxSentences?: number;
  /** The summary never exceeds this many characters (default 400). */
  maxChars?: number;
  /** The article's title: sentences close to it rank higher. */
  title?: string;
}

export interface SummarySentence {
  text: string;
  /** Character offsets in the input: `text === input.slice(start, end)`. */
  start: number;
  end: number;
  /** TextRank score (the scores of all candidate sentences sum to 1). */
  score: number;
}

const DAMPING = 0.85;
// Fragments shorter than this are captions, bylines or buttons, not sentences.
const MIN_WORDS = 5;
// Two sentences sharing this much of their vocabulary say the same thing.
const NEAR_DUPLICATE = 0.8;
const MAX_CANDIDATES = 300;

/** The summary: the chosen sentences joined by a space, at most `maxChars` characters. */
export function summarize(text: string, options: SummarizeOptions = {}): string {
  const { maxChars } = limits(options);
  const trimmed = text.trim();
  if (!trimmed) return "";
  const chosen = summarySentences(text, options);
  if (chosen.length === 0) return "";
  const joined = chosen.map((s) => s.text).join(" ");
  // Only when even the best single sentence is too long.
  return joined.length <= maxChars ? joined : truncateAtWord(joined, maxChars);
}

/**
 * The sentences a summary is made of, in article order. A text that already
 * fits (no more than `maxSentences` sentences, no more than `maxChars`) comes
 * back whole as one entry.
 */
export function summarySentences(text: string, options: SummarizeOptions = {}): SummarySentence[] {
  const { maxSentences, maxChars } = limits(options);
  const analysis = analyzeCached(text);
  const all = analysis.sentences;
  if (all.length === 0) return [];
  const first = all[0]!;
  const last = all[all.length - 1]!;
  if (all.length <= maxSentences && last.end - first.start <= maxChars) {
    return [{ text: text.slice(first.start, last.end), start: first.start, end: last.end, score: 1 }];
  }

  const ranked = rankSentences(text, options.title);
  const picked = choose(ranked, maxSentences, maxChars);
  // No sentence fits on its own: the best one, for summarize() to cut.
  if (picked.length === 0) picked.push(ranked.reduce((a, b) => (b.score > a.score ? b : a)));
  return picked.sort((a, b) => a.start - b.start);
}

// Sentences that lean on an earlier one ("He said…", "But…") read badly alone.
const DANGLING = /^(?:he|she|it|they|this|that|these|those|his|her|its|their|but|and|so|also|however|still|meanwhile)\b/i;
const SEARCH_WIDTH = 12;

/**
 * The best sentence that fits, plus the set of others (at most `maxSentences`
 * in all, `maxChars` characters joined) with the highest total value (score,
 * discounted for dangling and very short sentences). Anchoring on the best
 * keeps three middling sentences from pushing out the one that matters most;
 * an exhaustive search over the best dozen (≤ 4096 sets) beats greedy filling,
 * which takes the top sentence and then whatever scrap still fits.
 */
function choose(ranked: SummarySentence[], maxSentences: number, maxChars: number): SummarySentence[] {
  const value = (s: SummarySentence) => {
    const words = s.text.split(/\s+/).length;
    return s.score * (DANGLING.test(s.text) ? 0.5 : 1) * (words < 10 ? 0.7 : 1);
  };
  const pool = ranked
    .map((s) => ({ s, v: value(s) }))
    .sort((a, b) => b.v - a.v)
    .slice(0, SEARCH_WIDTH);
  const best = pool[0]?.v ?? 0;
  // A weak sentence is no gain just because it fits.
  const usable = pool.filter((p) => p.v >= 0.4 * best && p.s.text.length <= maxChars);

  if (usable.length === 0) return [];
  let bestSet: number[] = [0];
  let bestValue = usable[0]!.v;
  const walk = (from: number, set: number[], length: number, total: number) => {
    if (total > bestValue) {
      bestValue = total;
      bestSet = set.slice();
    }
    if (set.length === maxSentences) return;
    for (let i = from; i < usable.length; i++) {
      const added = usable[i]!.s.text.length + (set.length > 0 ? 1 : 0);
      if (length + added > maxChars) continue;
      set.push(i);
      walk(i + 1, set, length + added, total + usable[i]!.v);
      set.pop();
    }
  };
  walk(1, [0], usable[0]!.s.text.length, usable[0]!.v);
  return bestSet.map((i) => usable[i]!.s);
}

/** Every candidate sentence (fragments, boilerplate and near-duplicates left out) with its score, in article order. */
export function rankSentences(text: string, title?: string): SummarySentence[] {
  const candidates = candidateSentences(analyzeCached(text));
  const scores = textRank(candidates, title);
  return candidates.map((s, i) => ({ text: s.text, start: s.start, end: s.end, score: scores[i]! }));
}

function limits(options: SummarizeOptions): { maxSentences: number; maxChars: number } {
  const maxSentences = options.maxSentences ?? SUMMARY_MAX_SENTENCES;
  const maxChars = options.maxChars ?? SUMMARY_MAX_CHARS;
  if (!Number.isInteger(maxSentences) || maxSentences < 1) throw new RangeError(`maxSentences must be a positive integer, got ${maxSentences}`);
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);
  return { maxSentences, maxChars };
}

interface Candidate extends Sentence {
  terms: Map<string, number>;
}

/** Real sentences only: no fragments, no boilerplate, no near-duplicates. */
function candidateSentences(analysis: Analysis): Candidate[] {
  const described = analysis.sentences.map((s) => {
    const terms = new Map<string, number>();
    let words = 0;
    for (let i = s.from; i < s.to; i++) {
      const t = analysis.tokens[i]!;
      if (t.type !== "word") continue;
      words++;
      if (t.stop || t.lemma.length < 2) continue;
      terms.set(t.lemma, (terms.get(t.lemma) ?? 0) + 1);
    }
    // A line with no closing punctuation is a heading or caption.
    const closed = /[.!?]["'”’)]*$/.test(s.text);
    return { ...s, terms, good: words >= MIN_WORDS && closed && !isBoilerplate(s.text) };
  });
  const good = described.filter((s) => s.good);
  // The graph is quadratic in sentences: past a long feature's worth, the rest is ignored.
  const pool = (good.length > 0 ? good : described).slice(0, MAX_CANDIDATES);

  const kept: Candidate[] = [];
  for (const s of pool) {
    if (kept.some((k) => jaccard(k.terms, s.terms) >= NEAR_DUPLICATE)) continue;
    kept.push(s);
  }
  return kept;
}

function jaccard(a: Map<string, number>, b: Map<string, number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const k of a.keys()) if (b.has(k)) shared++;
  return shared / (a.size + b.size - shared);
}

/** PageRank over the TF-IDF cosine graph, jumping preferentially to the lead and to sentences like the title. */
function textRank(sentences: Candidate[], title: string | undefined): number[] {
  const n = sentences.length;
  if (n === 1) return [1];
  const df = new Map<string, number>();
  for (const s of sentences) for (const t of s.terms.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1;
  const vector = (terms: Map<string, number>) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, tf] of terms) {
      const w = tf * idf(t);
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  };
  const cosine = (a: Map<string, number>, b: Map<string, number>) => {
    const [small, big] = a.size < b.size ? [a, b] : [b, a];
    let dot = 0;
    for (const [t, w] of small) dot += w * (big.get(t) ?? 0);
    return dot;
  };

  const vectors = sentences.map((s) => vector(s.terms));
  const titleVector = title ? vector(titleTerms(title)) : undefined;
  const weights: number[][] = vectors.map((a, i) => vectors.map((b, j) => (i === j ? 0 : cosine(a, b))));
  const outWeight = weights.map((row) => row.reduce((x, y) => x + y, 0));

  // The random jump favours the lead.
  const jump = sentences.map((_, i) => 1 / Math.sqrt(1 + i));
  const jumpSum = jump.reduce((x, y) => x + y, 0);
  for (let i = 0; i < n; i++) jump[i]! /= jumpSum;

  let rank = jump.slice();
  for (let iter = 0; iter < 100; iter++) {
    // Sentences linked to nothing hand their rank to the jump distribution.
    let dangling = 0;
    for (let j = 0; j < n; j++) if (outWeight[j] === 0) dangling += rank[j]!;
    const next = jump.map((v) => (1 - DAMPING) * v + DAMPING * dangling * v);
    for (let j = 0; j < n; j++) {
      if (outWeight[j] === 0) continue;
      const share = (DAMPING * rank[j]!) / outWeight[j]!;
      const row = weights[j]!;
      for (let i = 0; i < n; i++) if (row[i]! > 0) next[i]! += share * row[i]!;
    }
    let delta = 0;
    for (let i = 0; i < n; i++) delta += Math.abs(next[i]! - rank[i]!);
    rank = next;
    if (delta < 1e-7) break;
  }
  // News puts its point first, and a headline names it: both scale the rank.
  const final = rank.map((r, i) => r * (1 + 0.3 / Math.sqrt(1 + i)) * (1 + (titleVector ? cosine(titleVector, vectors[i]!) : 0)));
  const total = final.reduce((x, y) => x + y, 0) || 1;
  return final.map((f) => f / total);
}

function titleTerms(title: string): Map<string, number> {
  const terms = new Map<string, number>();
  for (const t of analyze(title).tokens) if (t.type === "word" && !t.stop && t.lemma.length >= 2) terms.set(t.lemma, (terms.get(t.lemma) ?? 0) + 1);
  return terms;
}
