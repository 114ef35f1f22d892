// Pre-tokenizers of Hugging Face `tokenizers`: split normalised text into the
// words that WordPiece then cuts into pieces.

export type PreTokenize = (text: string) => string[];

// Rust's char::is_whitespace and Unicode-aware \w, as `tokenizers` uses them.
const WHITESPACE = /\p{White_Space}/u;
const W = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`;
const WHITESPACE_WORDS = new RegExp(`[${W}]+|[^${W}\\p{White_Space}]+`, "gu");
// tokenizers' is_bert_punc: ASCII punctuation (which includes $ + < = > ^ ` | ~,
// Unicode symbols rather than punctuation) or any Unicode punctuation.
const BERT_PUNCT = /[!-/:-@[-`{-~\p{P}]/u;

/** BertPreTokenizer: split on whitespace, and every punctuation character is a word of its own. */
export const bertPreTokenizer: PreTokenize = (text) => {
  const words: string[] = [];
  let word = "";
  for (const ch of text) {
    if (WHITESPACE.test(ch)) {
      if (word) words.push(word);
      word = "";
    } else if (BERT_PUNCT.test(ch)) {
      if (word) words.push(word);
      words.push(ch);
      word = "";
    } else {
      word += ch;
    }
  }
  if (word) words.push(word);
  return words;
};

/** `Whitespace`: runs of word characters, or runs of other non-space characters (`\w+|[^\w\s]+`). */
export const whitespacePreTokenizer: PreTokenize = (text) => text.match(WHITESPACE_WORDS) ?? [];

/** `WhitespaceSplit`: split on whitespace only. */
export const whitespaceSplit: PreTokenize = (text) => text.split(/\p{White_Space}+/u).filter((w) => w.length > 0);

export function sequence(steps: readonly PreTokenize[]): PreTokenize {
  return (text) => steps.reduce<string[]>((words, step) => words.flatMap(step), [text]);
}
