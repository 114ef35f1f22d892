// Invariants of the project's own crypto headline set v2 (models/cryptoviz-sentiment/data/
// crypto_headlines_v2.tsv). The set exists so that crypto accuracy can be measured honestly,
// so these checks guard its size, its labels and, above all, its splits: no near-duplicate
// (same template) may straddle train/dev/test, and no row may repeat the older hand-written set.
// The checker is a pure function, so the tests below can also show that it rejects broken files.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const DATA_DIR = join("models", "cryptoviz-sentiment", "data");
const V2_PATH = join(DATA_DIR, "crypto_headlines_v2.tsv");
const OLD_PATH = join(DATA_DIR, "crypto_headlines.tsv");

const SPLITS = ["train", "dev", "test"] as const;
const LABELS = ["negative", "positive", "neutral"] as const;
const EVENT_TYPES = [
  "adoption",
  "funding",
  "growth",
  "launch",
  "listing",
  "partnership",
  "regulation_favourable",
  "regulation_unfavourable",
  "regulation_procedural",
  "enforcement",
  "hack_outage",
  "delisting_insolvency",
  "price_up",
  "price_down",
  "explainer",
  "question",
  "schedule",
  "opinion",
  "market_report",
  "corporate",
] as const;
const PRICE_TYPES = new Set<string>(["price_up", "price_down"]);

const MIN_ROWS = 1500;
/** A split's share of each label may differ from the whole set's by at most this much. */
const MAX_LABEL_SHARE_GAP = 0.1;
const PRICE_SHARE = { min: 0.05, max: 0.12 };
const WORDS = { min: 4, max: 25 };

interface Row {
  line: number;
  split: string;
  label: string;
  eventType: string;
  template: string;
  headline: string;
}

/** Case-, whitespace- and punctuation-insensitive form of a headline. */
function normaliseHeadline(s: string): string {
  return s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A headline with its entities masked: numbers, amounts and tickers become "#", and capitalised
 * words after the first become "E". Two rows with the same skeleton differ only by entity names
 * or figures, so they are one story pattern and must share a template (and so a split).
 */
function entitySkeleton(s: string): string {
  return s
    .normalize("NFKC")
    .split(/\s+/)
    .filter(Boolean)
    .map((w, i) => (/[\d$%£€]/u.test(w) ? "#" : i > 0 && /^\p{Lu}/u.test(w) ? "E" : w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")))
    .join(" ");
}

/** The v2 TSV: `# comments`, then `split<TAB>label<TAB>event_type<TAB>template<TAB>headline`. */
function parseV2(text: string): { rows: Row[]; problems: string[] } {
  const rows: Row[] = [];
  const problems: string[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (!line.trim() || line.startsWith("#")) return;
    const f = line.split("\t");
    if (f.length !== 5 || f.some((x) => x.trim() === "")) {
      problems.push(`line ${i + 1}: expected 5 non-empty tab-separated fields, got ${f.length}`);
      return;
    }
    const [split, label, eventType, template, headline] = f as [string, string, string, string, string];
    rows.push({ line: i + 1, split, label, eventType, template, headline });
  });
  return { rows, problems };
}

/** Headlines of the older 3-column set (`split<TAB>label<TAB>headline`). */
function parseOldHeadlines(text: string): string[] {
  return text
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .map((l) => l.replace(/\r$/, "").split("\t")[2] ?? "");
}

/** Every broken invariant, as a readable sentence; empty when the set is sound. */
function checkSet(rows: Row[], oldHeadlines: string[]): string[] {
  const problems: string[] = [];
  const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

  if (rows.length < MIN_ROWS) problems.push(`${rows.length} rows, fewer than ${MIN_ROWS}`);

  for (const r of rows) {
    const at = `line ${r.line}`;
    if (!(SPLITS as readonly string[]).includes(r.split)) problems.push(`${at}: unknown split "${r.split}"`);
    if (!(LABELS as readonly string[]).includes(r.label)) problems.push(`${at}: unknown label "${r.label}"`);
    if (!(EVENT_TYPES as readonly string[]).includes(r.eventType)) problems.push(`${at}: unknown event type "${r.eventType}"`);
    if (!new RegExp(`^${r.eventType}-\\d{2,}$`).test(r.template)) problems.push(`${at}: template "${r.template}" is not "${r.eventType}-<nn>"`);
    const words = r.headline.trim().split(/\s+/).length;
    if (words < WORDS.min || words > WORDS.max) problems.push(`${at}: ${words} words, outside ${WORDS.min}–${WORDS.max}`);
  }

  const seen = new Map<string, number>();
  for (const r of rows) {
    const key = normaliseHeadline(r.headline);
    const first = seen.get(key);
    if (first !== undefined) problems.push(`line ${r.line}: duplicate of line ${first} after normalisation ("${r.headline}")`);
    else seen.set(key, r.line);
  }

  const old = new Set(oldHeadlines.map(normaliseHeadline));
  for (const r of rows) if (old.has(normaliseHeadline(r.headline))) problems.push(`line ${r.line}: repeats a row of the older crypto_headlines.tsv ("${r.headline}")`);

  const templateSplit = new Map<string, string>();
  const templateType = new Map<string, string>();
  for (const r of rows) {
    const sp = templateSplit.get(r.template);
    if (sp !== undefined && sp !== r.split) problems.push(`line ${r.line}: template ${r.template} is in both ${sp} and ${r.split}`);
    else templateSplit.set(r.template, r.split);
    const ty = templateType.get(r.template);
    if (ty !== undefined && ty !== r.eventType) problems.push(`line ${r.line}: template ${r.template} has event types ${ty} and ${r.eventType}`);
    else templateType.set(r.template, r.eventType);
  }

  const skeletonTemplate = new Map<string, Row>();
  for (const r of rows) {
    const key = entitySkeleton(r.headline);
    const first = skeletonTemplate.get(key);
    if (first === undefined) skeletonTemplate.set(key, r);
    else if (first.template !== r.template) problems.push(`line ${r.line}: differs from line ${first.line} only by entities or figures, but its template ${r.template} is not ${first.template}`);
  }

  for (const split of SPLITS) {
    const inSplit = rows.filter((r) => r.split === split);
    if (inSplit.length === 0) {
      problems.push(`split ${split} is empty`);
      continue;
    }
    for (const t of EVENT_TYPES) if (!inSplit.some((r) => r.eventType === t)) problems.push(`split ${split} has no ${t} row`);
    for (const l of LABELS) {
      const whole = share(rows.filter((r) => r.label === l).length, rows.length);
      const part = share(inSplit.filter((r) => r.label === l).length, inSplit.length);
      if (Math.abs(part - whole) > MAX_LABEL_SHARE_GAP) problems.push(`split ${split}: ${l} share ${pct(part)} vs ${pct(whole)} overall`);
    }
  }

  const price = share(rows.filter((r) => PRICE_TYPES.has(r.eventType)).length, rows.length);
  if (price < PRICE_SHARE.min || price > PRICE_SHARE.max) problems.push(`price-move share ${pct(price)}, outside ${pct(PRICE_SHARE.min)}–${pct(PRICE_SHARE.max)}`);

  return problems;
}

const parsed = parseV2(readFileSync(V2_PATH, "utf8"));
const oldHeadlines = parseOldHeadlines(readFileSync(OLD_PATH, "utf8"));

test("crypto headline set v2: every row has five fields", () => {
  assert.deepEqual(parsed.problems, []);
});

test("crypto headline set v2: size, labels, splits, event types, dedup, template splits, label balance, price share", () => {
  assert.deepEqual(checkSet(parsed.rows, oldHeadlines), []);
});

test("crypto headline set v2: the header states authorship, licence and columns", () => {
  const header = readFileSync(V2_PATH, "utf8").split("\n").filter((l) => l.startsWith("#")).join("\n");
  assert.match(header, /written for this project/i);
  assert.match(header, /licensed with the project/i);
  assert.match(header, /split <TAB> label <TAB> event_type <TAB> template <TAB> headline/);
});

test("crypto headline set v2: the splits are about 70/15/15 of rows", () => {
  const n = parsed.rows.length;
  const shares = SPLITS.map((s) => parsed.rows.filter((r) => r.split === s).length / n);
  const target = [0.7, 0.15, 0.15];
  shares.forEach((s, i) => assert.ok(Math.abs(s - target[i]!) <= 0.05, `${SPLITS[i]} is ${(100 * s).toFixed(1)} % of rows`));
});

// The checker must not be vacuous: each broken invariant has to show up.
test("checkSet: rejects files that break each invariant", () => {
  const rows = parsed.rows;
  const problemsOf = (mutate: (rs: Row[]) => Row[], old = oldHeadlines) => checkSet(mutate(rows.map((r) => ({ ...r }))), old);
  const expectProblem = (why: string, mutate: (rs: Row[]) => Row[], pattern: RegExp, old?: string[]) => {
    const problems = problemsOf(mutate, old);
    assert.ok(problems.some((p) => pattern.test(p)), `${why}: expected a problem matching ${pattern}, got ${JSON.stringify(problems.slice(0, 3))}`);
  };

  expectProblem("too few rows", (rs) => rs.slice(0, MIN_ROWS - 1), /fewer than/);
  expectProblem("bad label", (rs) => ((rs[0]!.label = "bullish"), rs), /unknown label/);
  expectProblem("bad split", (rs) => ((rs[0]!.split = "valid"), rs), /unknown split/);
  expectProblem("bad event type", (rs) => ((rs[0]!.eventType = "rumour"), rs), /unknown event type/);
  expectProblem("duplicate headline in another case and punctuation", (rs) => [...rs, { ...rs[5]!, line: 99999, headline: `  ${rs[5]!.headline.toUpperCase()}!! ` }], /duplicate of line/);
  expectProblem("template in two splits", (rs) => {
    const t = rs.find((r) => r.split === "train")!.template;
    const r = rs.find((x) => x.template === t)!;
    r.split = "test";
    return rs;
  }, /is in both/);
  expectProblem("event type missing from test", (rs) => rs.filter((r) => !(r.split === "test" && r.eventType === "listing")), /split test has no listing row/);
  expectProblem("skewed labels in dev", (rs) => {
    for (const r of rs) if (r.split === "dev" && r.label === "neutral") r.label = "positive";
    return rs;
  }, /split dev: (neutral|positive) share/);
  expectProblem("too many price moves", (rs) => {
    let extra = Math.ceil(rs.length * 0.1);
    for (const r of rs) if (extra > 0 && r.eventType === "growth") (r.eventType = "price_up"), (r.template = r.template.replace("growth", "price_up")), extra--;
    return rs;
  }, /price-move share/);
  expectProblem("too few price moves", (rs) => rs.filter((r) => !PRICE_TYPES.has(r.eventType) || r.split !== "train"), /price-move share/);
  expectProblem("row repeating the older set", (rs) => rs, /repeats a row of the older/, [...oldHeadlines, rows[10]!.headline.toLowerCase()]);
  expectProblem("entity-swapped near-duplicate under another template", (rs) => {
    const r = rs.find((x) => /\$[\d,]+/.test(x.headline))!;
    const other = rs.find((x) => x.template !== r.template && x.eventType === r.eventType)!;
    // The same story with another figure, filed under another template of the same event type.
    return [...rs, { ...other, line: 99998, headline: r.headline.replace(/\$[\d,]+/, "$95,000") }];
  }, /only by entities or figures/);
  expectProblem("headline too short", (rs) => ((rs[3]!.headline = "Bitcoin up"), rs), /words, outside/);
});

test("parseV2: reports rows with the wrong number of fields", () => {
  const { rows, problems } = parseV2("# header\ntrain\tpositive\tlisting\tlisting-01\tExchange lists a token\ntrain\tpositive\tExchange lists a token\n");
  assert.equal(rows.length, 1);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /line 3: expected 5/);
});
