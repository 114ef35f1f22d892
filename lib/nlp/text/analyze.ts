// One pass of wink over a text, flattened into plain arrays with character
// offsets, which wink does not report. Shared by the summariser and the
// keyword extractor.
import { wink } from "./wink.ts";

export interface Token {
  text: string;
  start: number;
  end: number;
  /** Universal POS tag (NOUN, PROPN, ADJ, …). */
  pos: string;
  /** Lower-case lemma. */
  lemma: string;
  /** wink's token type: word, number, punctuation, currency, symbol, tabCRLF, url, … */
  type: string;
  stop: boolean;
  /** Index into `sentences`, or -1 for line breaks between sentences. */
  sentence: number;
}

export interface Sentence {
  text: string;
  start: number;
  end: number;
  /** Token index range [from, to). */
  from: number;
  to: number;
}

export interface Entity {
  /** wink's entity type: DATE, MONEY, PERCENT, CARDINAL, ORDINAL, TIME, DURATION, … */
  type: string;
  from: number;
  to: number;
}

export interface Analysis {
  text: string;
  tokens: Token[];
  sentences: Sentence[];
  entities: Entity[];
}

export function analyze(text: string): Analysis {
  const nlp = wink();
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const all = doc.tokens();
  const values = all.out() as string[];
  const pos = all.out(its.pos) as string[];
  const lemma = all.out(its.lemma as never) as string[]; // (typed with the raw-document signature)
  const type = all.out(its.type) as string[];
  // wink's typings declare no boolean `its` helpers; stopWordFlag returns booleans.
  const stop = all.out(its.stopWordFlag as never) as unknown as boolean[];

  const tokens: Token[] = [];
  let cursor = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    // wink keeps token text verbatim; find it from where the previous one ended.
    let start = text.indexOf(value, cursor);
    if (start < 0) start = cursor;
    const end = Math.min(text.length, start + value.length);
    cursor = end;
    tokens.push({ text: value, start, end, pos: pos[i] ?? "X", lemma: (lemma[i] ?? value).toLowerCase(), type: type[i] ?? "word", stop: stop[i] === true, sentence: -1 });
  }

  // wink breaks sentences on punctuation and blank lines; a single line break
  // (a headline, a caption, "Read more") ends a sentence here too.
  const sentences: Sentence[] = [];
  const spans = doc.sentences().out(its.span) as unknown as [number, number][];
  for (const [first, last] of spans) {
    let from = first;
    for (let i = first; i <= last + 1; i++) {
      const lineBreak = i <= last && tokens[i]!.type === "tabCRLF" && tokens[i]!.text.includes("\n");
      if (i === last + 1 || lineBreak) {
        pushSentence(text, tokens, from, i, sentences);
        from = i + 1;
      }
    }
  }

  const entities: Entity[] = [];
  const details = doc.entities().out(its.detail) as unknown as { type: string }[];
  const entitySpans = doc.entities().out(its.span) as unknown as [number, number][];
  details.forEach((d, i) => {
    const span = entitySpans[i];
    if (span) entities.push({ type: d.type, from: span[0], to: span[1] + 1 });
  });

  return { text, tokens, sentences, entities };
}

function pushSentence(text: string, tokens: Token[], from: number, to: number, out: Sentence[]): void {
  while (from < to && tokens[from]!.type === "tabCRLF") from++;
  while (to > from && tokens[to - 1]!.type === "tabCRLF") to--;
  if (to <= from) return;
  const index = out.length;
  for (let i = from; i < to; i++) tokens[i]!.sentence = index;
  const start = tokens[from]!.start;
  const end = tokens[to - 1]!.end;
  out.push({ text: text.slice(start, end), start, end, from, to });
}
