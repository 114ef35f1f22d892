// Text → tokens for the default sentiment model, shared by the trainer and the
// runtime so that both see exactly the same tokens. Placeholders replace the
// things whose exact value carries no sentiment (URLs, tickers, amounts) but keep
// what does (the sign of a percentage move); crypto multi-word terms become one token.
import { PHRASE_MAP, VARIANT_MAP } from "./lexicon.ts";

/** Marks a clause boundary (punctuation); it ends negation scopes and bigrams and is not a feature. */
export const BOUNDARY = "<p>";

export interface TokenizerOptions {
  /** Tokens kept per text (long article bodies are truncated; headlines never reach it). */
  maxTokens: number;
}

const URL = /(?:https?:\/\/|www\.)\S+/g;
const MENTION = /(?<![\w@])@\w+/g;
// A sign only counts at the start of a number ("-5%", "(+3.2%)"), not inside "covid-19%".
const PERCENT = /(?<![\w.])([+\-−]?)\d[\d,]*(?:\.\d+)?\s?(?:%|percent\b|pct\b)/g;
const MONEY = /[$€£¥]\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|mn|mm|b|bn|t|tn|million|billion|trillion|thousand)?\b/g;
const CASHTAG = /\$[a-z][a-z0-9]{0,9}(?:\.[a-z]{1,2})?\b/g;
// Digits glued to letters before them ("web3", "q3", "l2") stay part of the word.
const NUMBER = /(?<![a-z\d])\d[\d,]*(?:\.\d+)?(?:k|m|mn|b|bn|x|th|st|nd|rd|s)?\b/g;
const TOKEN = /__[a-z_]+__|[a-z0-9]+(?:'[a-z]+)*|[.,;:!?|()[\]{}]|\s[-–—]+\s/g;

/** First word → the phrases starting with it, longest first (greedy longest match). */
const phraseIndex = new Map<string, string[][]>();
for (const phrase of PHRASE_MAP.keys()) {
  const words = phrase.split(" ");
  const list = phraseIndex.get(words[0]!) ?? [];
  list.push(words);
  phraseIndex.set(words[0]!, list);
}
for (const list of phraseIndex.values()) list.sort((a, b) => b.length - a.length || a.join(" ").localeCompare(b.join(" ")));

/** Unicode NFKC, lower case, typographic apostrophes folded, placeholders for URLs, users, amounts. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(URL, " __url__ ")
    .replace(MENTION, " __user__ ")
    .replace(PERCENT, (_m, sign: string) => (sign === "+" ? " __pct_up__ " : sign ? " __pct_down__ " : " __pct__ "))
    .replace(MONEY, " __money__ ")
    .replace(CASHTAG, " __cashtag__ ")
    .replace(NUMBER, " __num__ ")
    .replace(/#(\w)/g, "$1");
}

function foldWord(raw: string): string[] {
  // "isn't" / "won't" → the negator itself; "bitcoin's" → "bitcoin".
  if (raw.endsWith("n't")) return ["not"];
  const word = raw.endsWith("'s") ? raw.slice(0, -2) : raw.replace(/'/g, "");
  return word ? [VARIANT_MAP.get(word) ?? word] : [];
}

/** Tokens of a text: words (variants folded, phrases merged), placeholders and BOUNDARY marks. */
export function tokenize(text: string, options: TokenizerOptions): string[] {
  const words: string[] = [];
  for (const m of normalizeText(text).matchAll(TOKEN)) {
    const t = m[0];
    if (t.startsWith("__")) words.push(t);
    else if (/^[a-z0-9]/.test(t)) words.push(...foldWord(t));
    else if (words.length > 0 && words[words.length - 1] !== BOUNDARY) words.push(BOUNDARY);
  }
  const out: string[] = [];
  for (let i = 0; i < words.length && out.length < options.maxTokens; ) {
    const candidates = phraseIndex.get(words[i]!);
    let merged = false;
    if (candidates) {
      for (const phrase of candidates) {
        if (phrase.every((w, j) => words[i + j] === w)) {
          out.push(PHRASE_MAP.get(phrase.join(" "))!);
          i += phrase.length;
          merged = true;
          break;
        }
      }
    }
    if (!merged) out.push(words[i++]!);
  }
  while (out[out.length - 1] === BOUNDARY) out.pop();
  return out;
}
