// Readers for the labelled sets under ../shared/data/sentiment (training and
// evaluation) and the project's own crypto headline set. Labels are indices in
// LABELS order, which is the twitter set's (0 bearish, 1 bullish, 2 neutral).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SentimentLabel } from "../../../contracts/sentiment.ts";

export const LABELS: readonly SentimentLabel[] = ["negative", "positive", "neutral"];

export interface Example {
  text: string;
  label: number;
}

export function labelIndex(label: string): number {
  const i = LABELS.indexOf(label as SentimentLabel);
  if (i < 0) throw new Error(`unknown label "${label}"`);
  return i;
}

/** score > threshold positive, < -threshold negative, otherwise neutral (SOURCES.md's mapping). */
export function labelOfScore(score: number, threshold = 0.05): number {
  return score > threshold ? 1 : score < -threshold ? 0 : 2;
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) → rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += ch;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

/** twitter_financial_news_sentiment `text,label` CSV (0 bearish → negative, 1 bullish → positive, 2 neutral). */
export function readTwitterCsv(path: string): Example[] {
  const [header, ...rows] = parseCsv(readFileSync(path, "utf8"));
  if (header?.join(",") !== "text,label") throw new Error(`${path}: expected header text,label`);
  return rows.filter((r) => r.length === 2).map(([text, label]) => {
    const l = Number(label);
    if (![0, 1, 2].includes(l)) throw new Error(`${path}: bad label ${label}`);
    return { text: text!, label: l };
  });
}

/** Financial PhraseBank: latin-1, one `sentence@label` per line. */
export function readPhraseBank(path: string): Example[] {
  return readFileSync(path, "latin1")
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((line) => {
      const at = line.lastIndexOf("@");
      return { text: line.slice(0, at), label: labelIndex(line.slice(at + 1).trim()) };
    });
}

/** SemEval-2017 task 5 headlines: JSON array of `{title, sentiment | "sentiment score"}`. */
export function readSemEval(path: string, threshold = 0.05): Example[] {
  const rows = JSON.parse(readFileSync(path, "utf8")) as { title: string; sentiment?: number; "sentiment score"?: number }[];
  return rows.map((r) => ({ text: r.title, label: labelOfScore(Number(r.sentiment ?? r["sentiment score"]), threshold) }));
}

/** FiQA 2018 task 1 headlines: the mean of a headline's aspect scores, mapped like SemEval. */
export function readFiqa(path: string, threshold = 0.05): Example[] {
  const rows = JSON.parse(readFileSync(path, "utf8")) as Record<string, { sentence: string; info: { sentiment_score?: string }[] }>;
  return Object.keys(rows)
    .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))
    .map((k) => {
      const r = rows[k]!;
      const s = r.info.reduce((a, i) => a + Number(i.sentiment_score), 0) / r.info.length;
      return { text: r.sentence, label: labelOfScore(s, threshold) };
    });
}

/** The project's own crypto headlines: TSV `split<TAB>label<TAB>text` (split train|test), # comments. */
export function readCryptoHeadlines(path: string): { train: Example[]; test: Example[] } {
  const out = { train: [] as Example[], test: [] as Example[] };
  readFileSync(path, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (!line.trim() || line.startsWith("#")) return;
      const [split, label, text] = line.split("\t");
      if ((split !== "train" && split !== "test") || !label || !text) throw new Error(`${path}:${i + 1}: expected split<TAB>label<TAB>text`);
      out[split].push({ text, label: labelIndex(label) });
    });
  return out;
}

/** Where the shared data lives (overridable for other checkouts). */
export function sentimentDataDir(): string {
  return process.env.SENTIMENT_DATA_DIR ?? join(process.cwd(), "..", "shared", "data", "sentiment");
}

/** The evaluation-only sets of SOURCES.md, read from their files under `dataDir`. */
export function readEvaluationSets(dataDir: string) {
  const d = (...p: string[]) => join(dataDir, ...p);
  return {
    phraseBankAllAgree: readPhraseBank(d("financial_phrasebank", "Sentences_AllAgree.txt")),
    phraseBank50Agree: readPhraseBank(d("financial_phrasebank", "Sentences_50Agree.txt")),
    semEvalTest: readSemEval(d("semeval2017_task5_headlines", "Headlines_Testdata_withscores.json")),
    semEvalTrain: readSemEval(d("semeval2017_task5_headlines", "Headline_Trainingdata.json")),
    fiqaHeadlines: readFiqa(d("fiqa2018_task1", "task1_headline_ABSA_train.json")),
  };
}

/** SOURCES.md's TF-IDF (word uni+bigrams) + LR figures, accuracy / macro-F1 (5-fold CV in-domain; twitter train→valid). */
export const SOURCES_TFIDF_LR = {
  twitterValid: "0.817 / 0.756",
  phraseBankAllAgree: "0.891 / 0.854",
  phraseBank50Agree: "0.775 / 0.733",
} as const;

/** A set's label counts as "negative/positive/neutral". */
export function labelCounts(labels: readonly number[]): string {
  const count = (l: SentimentLabel) => labels.filter((x) => x === labelIndex(l)).length;
  return `${count("negative")}/${count("positive")}/${count("neutral")}`;
}
