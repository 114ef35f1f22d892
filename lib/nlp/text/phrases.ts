// Candidate keywords in an analysed text: noun phrases ("spot Bitcoin ETFs",
// "hot wallets"), proper-noun sequences ("Redline Forensics", "Securities and
// Exchange Commission") and wink's numeric entities worth keeping (MONEY,
// PERCENT, dated DATEs). Each occurrence carries normalised words (lower case,
// singular) so that case and plural variants group together.
//
// Capitalisation decides what is a name, not wink's POS tag alone: the lite
// model tags sentence-initial common nouns as PROPN ("Liquidations hit…") and
// unfamiliar names as verbs ("Redline").
import type { Analysis, Token } from "./analyze.ts";
import { isBoilerplate } from "./boilerplate.ts";
import { isTitleCase } from "./casing.ts";
import { COMMON_ACRONYMS, GENERIC_MODIFIERS, HEADLINE_VERBS, NOT_NAMES, ORG_WORDS } from "./lexicon.ts";

export type OccurrenceKind = "phrase" | "name" | "MONEY" | "PERCENT" | "DATE";

export interface Occurrence {
  kind: OccurrenceKind;
  /** Surface words (hyphenated compounds are one word). */
  words: string[];
  /** Lower-case, singular forms of `words`. */
  norm: string[];
  start: number;
  end: number;
  sentence: number;
  /** Up to three lower-case words before it, and the word after (cues for typing names). */
  before: string[];
  after: string;
}

/** A word of a run: one token, or a hyphenated compound of several. */
interface Unit {
  text: string;
  start: number;
  end: number;
  /** P proper, N noun, A adjective, C connector inside a name ("of", "and"), X breaks a run. */
  cls: "P" | "N" | "A" | "C" | "X";
  norm: string;
  first: number;
}

const KEPT_ENTITIES = new Set(["MONEY", "PERCENT", "DATE"]);
const CONNECTORS = new Set(["of", "and", "&", "de", "for"]);
const MAX_PHRASE_WORDS = 4;

// Plural-looking words that are singular (or names) and must keep their "s".
const KEEP_S = /(?:ss|us|is|os|as|ics|ews|ies?s)$/;

/** Lower case and singular: "ETFs" → "etf", "wallets" → "wallet", "Forensics" → "forensics". */
export function singular(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 3 || !w.endsWith("s") || KEEP_S.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) return `${w.slice(0, -3)}y`;
  return w.slice(0, -1);
}

export function extractOccurrences(analysis: Analysis): Occurrence[] {
  const { tokens, sentences } = analysis;
  const inEntity = new Map<number, string>();
  for (const e of analysis.entities) for (let i = e.from; i < e.to; i++) inEntity.set(i, e.type);
  // Words the text also writes in lower case are common words when capitalised at a sentence start.
  const lowerSeen = new Set(tokens.filter((t) => t.type === "word" && /^[a-z]/.test(t.text)).map((t) => t.text));
  // … and are names when the text also capitalises them mid-sentence.
  const capitalSeen = new Set<string>();
  for (const s of sentences) {
    let first = true; // the first word, after any opening quote or bracket
    for (let i = s.from; i < s.to; i++) {
      const t = tokens[i]!;
      if (t.type !== "word" && t.type !== "number") continue;
      if (!first && /^[A-Z]/.test(t.text)) capitalSeen.add(t.text);
      first = false;
    }
  }

  const out: Occurrence[] = [];
  sentences.forEach((s, si) => {
    if (isBoilerplate(s.text) || isTitleCase(s.text)) return;
    const units = unitsOf(tokens, s.from, s.to, inEntity, lowerSeen, capitalSeen);
    markHeadlineVerbs(units);
    const words = units.filter((u) => u.cls !== "X" || /[A-Za-z]/.test(u.text));
    const cues = (start: number, end: number) => {
      const at = words.findIndex((u) => u.start === start);
      const after = words.find((u) => u.start >= end);
      return {
        before: words.slice(Math.max(0, at - 3), Math.max(0, at)).map((u) => u.text.toLowerCase()),
        after: after?.text.toLowerCase() ?? "",
      };
    };
    for (const run of runsOf(units)) {
      for (const [kind, part] of candidatesOf(run)) {
        const start = part[0]!.start;
        const end = part[part.length - 1]!.end;
        out.push({ kind, words: part.map((u) => u.text), norm: part.map((u) => u.norm), start, end, sentence: si, ...cues(start, end) });
      }
    }
  });

  for (const e of analysis.entities) {
    if (!KEPT_ENTITIES.has(e.type)) continue;
    const first = tokens[e.from]!;
    const last = tokens[e.to - 1]!;
    const text = analysis.text.slice(first.start, last.end);
    if (e.type === "DATE" && !/\d/.test(text)) continue; // "Tuesday", "this week": no news value
    if (isBoilerplate(sentences[first.sentence]?.text ?? "")) continue;
    out.push({ kind: e.type as OccurrenceKind, words: [text], norm: [text.toLowerCase().replace(/\s+/g, " ")], start: first.start, end: last.end, sentence: first.sentence, before: [], after: "" });
  }
  return out.sort((a, b) => a.start - b.start);
}

function unitsOf(tokens: Token[], from: number, to: number, inEntity: Map<number, string>, lowerSeen: Set<string>, capitalSeen: Set<string>): Unit[] {
  const units: Unit[] = [];
  let firstWord = true;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    // Hyphenated compounds: exchange-traded, cross-chain, Singapore-based.
    let j = i;
    while (j + 2 < to && tokens[j + 1]!.text === "-" && tokens[j + 1]!.start === tokens[j]!.end && tokens[j + 2]!.start === tokens[j + 1]!.end && /^[A-Za-z0-9]/.test(tokens[j + 2]!.text)) j += 2;
    const last = tokens[j]!;
    const text = j > i ? `${t.text}${tokens.slice(i + 1, j + 1).map((x) => x.text).join("")}` : t.text;
    const unit: Unit = { text, start: t.start, end: last.end, cls: "X", norm: "", first: i };
    const initial = firstWord;
    if (t.type === "word" || t.type === "number") firstWord = false;
    i = j;

    const lower = text.toLowerCase();
    if (inEntity.has(unit.first) || (t.type !== "word" && j === unit.first)) {
      units.push(unit);
      continue;
    }
    if (CONNECTORS.has(lower)) {
      unit.cls = "C";
    } else if (COMMON_ACRONYMS.has(lower)) {
      unit.cls = "N";
    } else if (/[A-Z]/.test(text) && /[A-Za-z].*[A-Za-z]/.test(text) && !NOT_NAMES.has(lower.replace(/\.$/, ""))) {
      // A capital at the start of a sentence proves nothing unless the word is
      // in capitals, or capitalised elsewhere mid-sentence, or wink reads a name
      // that the text never writes in lower case and that goes on ("Priya Natarajan").
      const nameAtStart =
        /^[A-Z0-9]+$/.test(text) ||
        capitalSeen.has(text) ||
        (t.pos === "PROPN" && !lowerSeen.has(lower) && !t.stop && /^[A-Z]/.test(tokens[j + 1]?.text ?? ""));
      unit.cls = initial && !nameAtStart ? posClass(last) : "P";
    } else if (!t.stop) {
      unit.cls = posClass(last);
    }
    unit.norm = unit.cls === "N" && j === unit.first ? singular(t.lemma.length > 1 ? lemmaOrPlural(t) : lower) : unit.cls === "A" || unit.cls === "C" ? lower : singular(lower);
    units.push(unit);
  }
  return units;
}

/** The base form of a third-person verb ("lists" → "list", "launches" → "launch", "denies" → "deny"), or undefined. */
function baseOfThirdPerson(word: string): string | undefined {
  if (!word.endsWith("s") || word.endsWith("ss")) return undefined;
  const candidates = [word.slice(0, -1), word.endsWith("es") ? word.slice(0, -2) : "", word.endsWith("ies") ? `${word.slice(0, -3)}y` : ""];
  return candidates.find((c) => c && HEADLINE_VERBS.has(c));
}

const plural = (word: string) => word.length > 3 && /s$/i.test(word) && !KEEP_S.test(word.toLowerCase());

/**
 * Headlines and terse leads drop articles, so wink tags their verbs as nouns
 * and "Coinbase lists Solana meme coin" would chunk into one noun phrase. A
 * lower-case headline verb right after a noun is a verb when it agrees with
 * it: "lists", "taps" after a singular ("Coinbase lists", "exchange taps") and
 * with something after it, or a base form after a plural ("Hackers drain",
 * "developers schedule"). "price drop", "reserve fund" and "market gains."
 * stay nouns. The verb then ends the phrase before it and starts no phrase.
 */
function markHeadlineVerbs(units: Unit[]): void {
  const words = units.filter((u) => u.cls !== "X" || /[A-Za-z0-9]/.test(u.text));
  for (let k = 1; k < words.length; k++) {
    const u = words[k]!;
    const prev = words[k - 1]!;
    if (u.cls !== "N" || prev.cls === "X" || prev.cls === "C" || !/^[a-z]+$/.test(u.text)) continue;
    const third = baseOfThirdPerson(u.text);
    const verb =
      (third !== undefined && !plural(prev.text) && k + 1 < words.length) ||
      (HEADLINE_VERBS.has(u.text) && prev.cls !== "A" && plural(prev.text));
    if (verb) u.cls = "X";
  }
}

// wink lemmatises common nouns ("pools" → "pool") but not capitalised words.
const lemmaOrPlural = (t: Token) => (t.lemma !== t.text.toLowerCase() ? t.lemma : t.text.toLowerCase());

function posClass(t: Token): Unit["cls"] {
  if (t.pos === "NOUN" || t.pos === "PROPN") return "N";
  if (t.pos === "ADJ") return "A";
  return "X";
}

/** Maximal runs of P/N/A units; a connector stays only between two proper words. */
function runsOf(units: Unit[]): Unit[][] {
  const runs: Unit[][] = [];
  let run: Unit[] = [];
  const flush = () => {
    while (run.length && (run[run.length - 1]!.cls === "C" || run[run.length - 1]!.cls === "A")) run.pop();
    if (run.length) runs.push(run);
    run = [];
  };
  units.forEach((u, k) => {
    if (u.cls === "X") return flush();
    if (u.cls === "C") {
      const prev = run[run.length - 1];
      const next = units[k + 1];
      if (prev?.cls === "P" && next?.cls === "P") run.push(u);
      else flush();
      return;
    }
    run.push(u);
  });
  flush();
  return runs;
}

/** The names inside a run and the phrase it forms. */
function candidatesOf(run: Unit[]): [OccurrenceKind, Unit[]][] {
  const found: [OccurrenceKind, Unit[]][] = [];
  // Proper-noun sequences: every maximal P…P (connectors inside allowed).
  for (let k = 0; k < run.length; k++) {
    if (run[k]!.cls !== "P") continue;
    let e = k;
    while (e + 1 < run.length && (run[e + 1]!.cls === "P" || (run[e + 1]!.cls === "C" && run[e + 2]?.cls === "P"))) e++;
    for (const name of splitAtAnd(run.slice(k, e + 1))) found.push(["name", name]);
    k = e;
  }
  // The phrase: drop an appositive name at the end ("security firm Redline
  // Forensics" → "security firm"), generic modifiers at the front, and keep it
  // only if it is headed by a common noun.
  let phrase = run.slice();
  let tail = phrase.length;
  while (tail > 0 && (phrase[tail - 1]!.cls === "P" || phrase[tail - 1]!.cls === "C")) tail--;
  if (tail > 0 && tail < phrase.length) phrase = phrase.slice(0, tail);
  // (Also descriptors like "Singapore-based", and a leading word with fewer
  // than two letters: the "x" of "20x leverage".)
  const weakLead = (u: Unit) =>
    u.cls === "C" || (u.cls !== "P" && GENERIC_MODIFIERS.has(u.norm)) || /-based$/i.test(u.text) || u.text.replace(/[^A-Za-z]/g, "").length < 2;
  while (phrase.length && weakLead(phrase[0]!)) phrase.shift();
  while (phrase.length && phrase[phrase.length - 1]!.cls !== "N") phrase.pop();
  if (phrase.length > MAX_PHRASE_WORDS) phrase = phrase.slice(-MAX_PHRASE_WORDS);
  while (phrase.length && phrase[0]!.cls === "C") phrase.shift();
  if (phrase.some((u) => u.cls === "N") && !phrase.every((u) => u.cls === "P")) found.push(["phrase", phrase]);
  return found;
}

/**
 * "NEAR Protocol and Uniswap" is two names; "Securities and Exchange
 * Commission" is one: an "and" joins only when what follows ends the way an
 * organisation's name does, and what precedes is one word or does not
 * ("Meridian Asset Management and Larkspur Investments" is two).
 */
function splitAtAnd(name: Unit[]): Unit[][] {
  const out: Unit[][] = [];
  let from = 0;
  for (let k = 0; k < name.length; k++) {
    const u = name[k]!;
    if (u.cls !== "C" || (u.norm !== "and" && u.norm !== "&")) continue;
    const left = name.slice(from, k).filter((w) => !w.text.includes("."));
    const right = name[name.length - 1]!.norm;
    if (ORG_WORDS.has(right) && (left.length === 1 || !ORG_WORDS.has(left[left.length - 1]!.norm))) continue;
    out.push(name.slice(from, k));
    from = k + 1;
  }
  out.push(name.slice(from));
  return out.filter((n) => n.length > 0);
}
