// Key phrases and named entities of an article, ranked and deduplicated.
//
// Candidates come from wink (noun phrases, proper-noun sequences, MONEY /
// PERCENT / dated DATE entities: see text/phrases.ts). Each candidate scores
//   quality × (1 + ln(1 + Σ occurrence weights)),
// where an occurrence weighs more in the lead and most in the title, and
// quality prefers coins, names and multi-word phrases over single nouns and
// figures. Variants are merged before ranking: case and plural ("ETFs" /
// "etf"), every alias of one coin ("Ether" / "ETH"), acronyms ("SEC" /
// "Securities and Exchange Commission") and a phrase with the more specific
// phrase it ends ("ETF" / "spot Bitcoin ETF", "Okafor" / "Mariana Okafor").
//
// Headlines: verbs wink tags as nouns ("Coinbase lists…", "Hackers drain…")
// end a phrase instead of joining it (text/phrases.ts), and a Title Case
// headline alone is read in sentence case rather than skipped.
//
// Types: COIN (a coin of lib/nlp/coins), PERSON / ORG / GPE for proper-noun
// sequences (heuristics in text/nameType.ts, since wink's lite model has no
// such entities), MONEY / PERCENT / DATE from wink, `phrase` otherwise.
import { coinIndex, type CoinIndex } from "./coins/coinIndex.ts";
import { defaultCoinList } from "./coins/coinList.ts";
import { pairBase } from "./coins/findCoinMentions.ts";
import { analyze, type Analysis } from "./text/analyze.ts";
import { analyzeCached } from "./text/analyzeCached.ts";
import { articleText, bodyOffset, type TextInput } from "./text/article.ts";
import { isTitleCase } from "./text/casing.ts";
import { roughSentences } from "./text/roughSentences.ts";
import { GENERIC_HEADS, GENERIC_SINGLE } from "./text/lexicon.ts";
import { nameType } from "./text/nameType.ts";
import { extractOccurrences, singular, type Occurrence } from "./text/phrases.ts";
import type { Keyword } from "./types.ts";

export interface KeywordOptions {
  /** At most this many keywords (default 10). */
  limit?: number;
}

interface Found extends Occurrence {
  /** Offsets in articleText(input). */
  at: number;
  to: number;
  inTitle: boolean;
  /** A candidate only the title has: one plain mention, never the name of a merged group. */
  headlineOnly?: boolean;
}

interface Group {
  key: string;
  kind: "coin" | "name" | "phrase" | "MONEY" | "PERCENT" | "DATE";
  norm: string[];
  found: Found[];
  /** Σ occurrence weights. */
  weight: number;
  raw: number;
  root: Group;
  type: string;
}

const TITLE_WEIGHT = 2.5;

export function extractKeywords(input: TextInput, options: KeywordOptions = {}): Keyword[] {
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer, got ${limit}`);
  const full = articleText(input);
  if (limit === 0 || !full.trim()) return [];
  const coins = coinIndex(defaultCoinList());

  let title = typeof input === "string" ? "" : input.title.trim();
  let body = typeof input === "string" ? input : input.body;
  // A Title Case headline alone (a title-only article) would yield nothing, its
  // capitals proving nothing: it is read in sentence case instead, same offsets.
  if (title && body.trim() === "" && loneTitleCase(title)) title = sentenceCase(title, coins);
  else if (!title && loneTitleCase(body)) body = sentenceCase(body, coins);
  const titleAnalysis = title ? analyze(title) : undefined;
  // Headlines are terse and often Title Case, which defeats both the tagger
  // ("Exchange taps reserve fund": taps a noun) and the capitalisation cue.
  // So the title mainly adds weight to what the body yields; of its own
  // candidates only names from a sentence-case title count, as one plain
  // mention (all of them when there is no body).
  const titleOnly = body.trim() === "";
  const titleCandidates = titleAnalysis !== undefined && (titleOnly || !isTitleCase(title));

  const found: Found[] = [];
  const collect = (analysis: Analysis, offset: number, inTitle: boolean) => {
    for (const o of extractOccurrences(analysis)) found.push({ ...o, at: o.start + offset, to: o.end + offset, inTitle });
  };
  collect(analyzeCached(body), bodyOffset(input), false);
  const bodyKeys = new Set(found.map((f) => keyOf(f, coins)?.key));
  if (titleAnalysis && titleCandidates) {
    const before = found.length;
    collect(titleAnalysis, 0, true);
    // What the body also has is counted by matchTitle below, as a headline mention.
    for (let i = found.length - 1; i >= before; i--) {
      const f = found[i]!;
      if (!titleOnly && (f.kind === "phrase" || bodyKeys.has(keyOf(f, coins)?.key))) found.splice(i, 1);
      else f.headlineOnly = true;
    }
  }

  const groups = new Map<string, Group>();
  for (const f of found) {
    const keyed = keyOf(f, coins);
    if (!keyed) continue;
    let g = groups.get(keyed.key);
    if (!g) {
      g = { key: keyed.key, kind: keyed.kind, norm: f.norm, found: [], weight: 0, raw: 0, root: undefined as unknown as Group, type: "phrase" };
      g.root = g;
      groups.set(keyed.key, g);
    }
    if (keyed.kind === "name" && g.kind === "phrase") g.kind = "name";
    g.found.push(f);
  }
  if (titleAnalysis && !titleOnly) matchTitle(titleAnalysis, groups);

  for (const g of groups.values()) g.type = typeOf(g, groups);
  for (const g of groups.values()) {
    g.weight = g.found.reduce((s, f) => s + weight(f), 0);
    g.raw = quality(g) * (1 + Math.log1p(g.weight));
  }

  mergeAcronyms(groups);
  mergeContained(groups);

  const roots = new Map<Group, Group[]>();
  for (const g of groups.values()) {
    const r = find(g);
    const members = roots.get(r);
    if (members) members.push(g);
    else roots.set(r, [g]);
  }
  const ranked = [...roots.values()]
    .map((members) => {
      // The most specific member names the group, unless a shorter one is far more used;
      // the group scores as one candidate with every member's occurrences.
      const rep = members.reduce((a, b) => (specificity(b) > specificity(a) ? b : a));
      const total = quality(rep) * (1 + Math.log1p(members.reduce((s, m) => s + m.weight, 0)));
      return { rep, total };
    })
    .sort((a, b) => b.total - a.total);

  const top = ranked[0]?.total ?? 1;
  const out: Keyword[] = [];
  const seen = new Set<string>();
  for (const { rep, total } of ranked) {
    if (out.length >= limit) break;
    const { start, end } = display(rep, full);
    const text = full.slice(start, end);
    if (seen.has(text.toLowerCase())) continue;
    seen.add(text.toLowerCase());
    out.push({ text, type: rep.type, score: Math.max(0.001, Math.round((total / top) * 1000) / 1000), start, end });
  }
  return out;
}

/** One line, one sentence, in Title Case. */
const loneTitleCase = (text: string) => !text.trim().includes("\n") && roughSentences(text.trim()).length === 1 && isTitleCase(text);

/**
 * The headline in sentence case: the first word, acronyms and tickers (SEC,
 * ETF), words with digits and coin names keep their capitals; every other
 * word loses its initial capital. Only A–Z change, so offsets stay valid.
 */
function sentenceCase(text: string, coins: CoinIndex): string {
  let first = true;
  return text.replace(/[A-Za-z][A-Za-z0-9'’-]*/g, (word) => {
    const keep = first || (word.length > 1 && word === word.toUpperCase()) || /\d/.test(word) || coins.byName.has(word.toLowerCase());
    first = false;
    return keep ? word : word.replace(/[A-Z]/g, (c) => c.toLowerCase());
  });
}

function keyOf(f: Found, coins: CoinIndex): { key: string; kind: Group["kind"] } | undefined {
  if (f.kind === "MONEY" || f.kind === "PERCENT" || f.kind === "DATE") return { key: `${f.kind}:${f.norm.join(" ")}`, kind: f.kind };
  const letters = f.words.join("").replace(/[^A-Za-z]/g, "");
  if (letters.length < 2) return undefined;
  const surface = f.words.join(" ");
  const coin =
    f.kind === "name"
      ? coins.byName.get(surface.toLowerCase()) ??
        coins.byWordName.get(surface) ??
        (/^[A-Z0-9]+$/.test(surface) ? coins.byTicker.get(surface) ?? pairBase(surface, coins) : undefined)
      : f.words.length === 1
        ? coins.byName.get(surface.toLowerCase())
        : undefined;
  if (coin) return { key: `coin:${coin.symbol}`, kind: "coin" };
  const head = f.norm[f.norm.length - 1]!;
  if (f.kind === "phrase" && (GENERIC_HEADS.has(head) || (f.norm.length === 1 && GENERIC_SINGLE.has(head)))) return undefined;
  return { key: f.norm.join(" "), kind: f.kind };
}

/** Adds the title's occurrences of what the body yielded. */
function matchTitle(title: Analysis, groups: Map<string, Group>): void {
  const words = title.tokens.filter((t) => t.type === "word" || t.type === "number");
  const norms = words.map((t) => singular(t.text));
  for (const g of groups.values()) {
    if (g.kind === "MONEY" || g.kind === "PERCENT" || g.kind === "DATE") continue;
    const forms = new Set(g.found.map((f) => f.words.map(singular).join(" ")));
    for (const form of forms) {
      const seq = form.split(" ");
      for (let i = 0; i + seq.length <= norms.length; i++) {
        if (seq.every((w, k) => norms[i + k] === w)) {
          const start = words[i]!.start;
          const end = words[i + seq.length - 1]!.end;
          const first = g.found[0]!;
          g.found.push({ ...first, words: title.text.slice(start, end).split(" "), start, end, at: start, to: end, inTitle: true, sentence: 0 });
        }
      }
    }
  }
}

const weight = (f: Found) => (f.headlineOnly ? 1 : f.inTitle ? TITLE_WEIGHT : 1 + 0.5 / Math.sqrt(1 + f.sentence));

function quality(g: Group): number {
  switch (g.kind) {
    case "coin":
      return 1.5;
    case "name":
      return g.type === "PERSON" ? 1.4 : g.norm.length > 1 ? 1.4 : g.type === "GPE" ? 1 : 1.2;
    case "phrase":
      return g.norm.length === 1 ? 0.6 : g.norm.length === 2 ? 1.1 : 1.2;
    case "MONEY":
      return 0.5;
    default:
      return 0.35;
  }
}

function typeOf(g: Group, groups: Map<string, Group>): string {
  if (g.kind === "coin") return "COIN";
  if (g.kind === "phrase") return "phrase";
  if (g.kind !== "name") return g.kind;
  const names = g.found.filter((f) => f.kind === "name");
  const surname = g.norm.length > 1 ? groups.get(g.norm[g.norm.length - 1]!) : undefined;
  return nameType(names[0]?.words ?? g.found[0]!.words, {
    before: names.map((f) => f.before),
    after: names.map((f) => f.after),
    surnameAlone: surname !== undefined && surname.kind === "name",
  });
}

function find(g: Group): Group {
  while (g.root !== g) g = g.root = g.root.root;
  return g;
}

function union(child: Group, parent: Group): void {
  const a = find(child);
  const b = find(parent);
  if (a !== b) a.root = b;
}

/** "SEC" and "Securities and Exchange Commission", "ETF" and "exchange-traded fund". */
function mergeAcronyms(groups: Map<string, Group>): void {
  const long = [...groups.values()].filter((g) => (g.kind === "name" || g.kind === "phrase") && g.norm.length >= 2);
  for (const g of groups.values()) {
    const word = g.found[0]!.words.join(" ");
    if (g.norm.length !== 1 || !/^[A-Z]{2,6}s?$/.test(word)) continue;
    const acronym = word.replace(/s$/, "");
    // Against the whole name or its end ("U.S. Securities and Exchange Commission").
    const match = long.find((l) => {
      const words = l.found[0]!.words.flatMap((w) => w.split(" "));
      return words.some((_, k) => words.length - k >= 2 && initials(words.slice(k)) === acronym);
    });
    if (match) union(g, match);
  }
}

const initials = (words: readonly string[]) =>
  words
    .flatMap((w) => w.split("-"))
    .filter((w) => !/^(?:of|and|the|for|&)$/i.test(w))
    .map((w) => w[0]!.toUpperCase())
    .join("");

/**
 * A phrase merges into the strongest longer phrase it ends ("ETF" → "spot
 * Bitcoin ETF", "Okafor" → "Mariana Okafor"); a name also into the longer name
 * it begins ("Meridian" → "Meridian Asset Management"), the short form news
 * uses after the first mention.
 */
function mergeContained(groups: Map<string, Group>): void {
  const mergeable = [...groups.values()].filter((g) => g.kind === "name" || g.kind === "phrase").sort((a, b) => a.norm.length - b.norm.length);
  // Only phrases sharing the last word (or, for names, the first) can contain one another.
  const byLast = new Map<string, Group[]>();
  const byFirst = new Map<string, Group[]>();
  const add = (m: Map<string, Group[]>, k: string, g: Group) => (m.get(k) ?? m.set(k, []).get(k)!).push(g);
  for (const g of mergeable) {
    add(byLast, g.norm[g.norm.length - 1]!, g);
    if (g.kind === "name") add(byFirst, g.norm[0]!, g);
  }
  for (const g of mergeable) {
    let best: Group | undefined;
    const parents = [...(byLast.get(g.norm[g.norm.length - 1]!) ?? []), ...(g.kind === "name" ? byFirst.get(g.norm[0]!) ?? [] : [])];
    for (const p of parents) {
      if (p.norm.length <= g.norm.length) continue;
      const offset = p.norm.length - g.norm.length;
      const suffix = g.norm.every((w, k) => p.norm[offset + k] === w);
      const prefix = g.kind === "name" && p.kind === "name" && g.norm.every((w, k) => p.norm[k] === w);
      if (!suffix && !prefix) continue;
      // A headline's own phrase ("Exchange taps reserve fund") must not absorb the body's.
      if (p.found.every((f) => f.headlineOnly)) continue;
      if (!best || p.raw > best.raw) best = p;
    }
    if (best) union(g, best);
  }
}

const specificity = (g: Group) => g.raw * (1 + 0.3 * (g.norm.length - 1));

/** The representative's most used written form, at its first occurrence. */
function display(g: Group, full: string): { start: number; end: number } {
  const counts = new Map<string, { n: number; start: number; end: number }>();
  // Written as the body writes it: a headline's capitals are not the usual form.
  const inBody = g.found.filter((f) => !f.inTitle);
  for (const f of inBody.length > 0 ? inBody : g.found) {
    const text = full.slice(f.at, f.to);
    const c = counts.get(text);
    if (c) {
      c.n++;
      if (f.at < c.start) Object.assign(c, { start: f.at, end: f.to });
    } else counts.set(text, { n: 1, start: f.at, end: f.to });
  }
  let best: { n: number; start: number; end: number } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n || (c.n === best.n && c.start < best.start)) best = c;
  return { start: best!.start, end: best!.end };
}
