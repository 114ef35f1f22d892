// Text analysis for text fields. "standard" approximates Lucene's standard
// analyzer (Unicode word segmentation, lowercase, no stop words); "simple",
// "whitespace", "stop" and "keyword" follow their Lucene namesakes.
import { unsupported } from "../errors.ts";

export interface Token {
  term: string;
  position: number;
}

export type Analyzer = (text: string) => Token[];

export const ENGLISH_STOP_WORDS = new Set([
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not", "of", "on",
  "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will", "with",
]);

const MAX_TOKEN_LENGTH = 255;
const WORD = /[\p{L}\p{N}\p{M}_]/u;
const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Unicode-ish word segmentation: letters/digits joined by in-word punctuation ("don't", "3.14", "u.s.a"). */
export function standardTokens(text: string): string[] {
  const out: string[] = [];
  const chars = Array.from(text);
  let cur = "";
  const flush = (): void => {
    if (cur !== "") {
      for (let k = 0; k < cur.length; k += MAX_TOKEN_LENGTH) out.push(cur.slice(k, k + MAX_TOKEN_LENGTH));
      cur = "";
    }
  };
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (HAN.test(c)) {
      flush();
      out.push(c);
      continue;
    }
    if (WORD.test(c)) {
      cur += c;
      continue;
    }
    const next = chars[i + 1];
    const prev = cur.length > 0 ? cur[cur.length - 1]! : "";
    if (cur !== "" && next !== undefined && WORD.test(next) && !HAN.test(next)) {
      const prevDigit = /\p{N}/u.test(prev);
      const nextDigit = /\p{N}/u.test(next);
      const midLetter = c === "'" || c === "\u2019" || c === ":" || c === "." || c === "\u00b7";
      const midNum = c === "," || c === "." || c === ";" || c === "'";
      if ((!prevDigit && !nextDigit && midLetter && c !== ":") || (prevDigit && nextDigit && midNum)) {
        cur += c;
        continue;
      }
    }
    flush();
  }
  flush();
  return out;
}

function positions(terms: string[], stop: Set<string> | null): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (const term of terms) {
    if (stop === null || !stop.has(term)) out.push({ term, position: pos });
    pos++;
  }
  return out;
}

const analyzers: Record<string, Analyzer> = {
  standard: (text) => positions(standardTokens(text).map((t) => t.toLowerCase()), null),
  simple: (text) => positions((text.match(/\p{L}+/gu) ?? []).map((t) => t.toLowerCase()), null),
  stop: (text) => positions((text.match(/\p{L}+/gu) ?? []).map((t) => t.toLowerCase()), ENGLISH_STOP_WORDS),
  whitespace: (text) => positions(text.split(/\s+/).filter((t) => t !== ""), null),
  keyword: (text) => [{ term: text, position: 0 }],
};

export function getAnalyzer(name: string): Analyzer {
  const a = analyzers[name];
  if (!a) throw unsupported(`analyzer [${name}]`);
  return a;
}

export function isKnownAnalyzer(name: string): boolean {
  return name in analyzers;
}
