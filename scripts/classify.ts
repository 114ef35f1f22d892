// Classifies text from stdin, one text per line, printing one JSON line per input line:
//   npm run classify [-- --model <dir>] [--batch <n>] [--no-text] < headlines.txt
//   {"text":"…","label":"negative","scores":{"positive":0.03,"negative":0.91,"neutral":0.06}}
// An empty or blank line answers {"line":N,"error":"empty text"}, so output line N
// is always input line N (paste, join and evaluation scripts rely on that).
// Exit code 1 when no line had text to classify.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { defaultSentimentModelDir, loadSentimentClassifier } from "../lib/nlp/loadSentimentClassifier.ts";
import type { SentimentClassifier } from "../lib/nlp/types.ts";

function fail(message: string): never {
  console.error(`classify: ${message}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({
    options: { model: { type: "string" }, batch: { type: "string", default: "64" }, "no-text": { type: "boolean", default: false }, threads: { type: "string", default: "1" } },
    allowPositionals: false,
  }));
} catch (e) {
  fail(`${(e as Error).message} (usage: classify [--model <dir>] [--batch <n>] [--threads <n>] [--no-text] < texts.txt)`);
}
const batch = Number(values.batch);
if (!Number.isInteger(batch) || batch < 1) fail(`--batch must be a positive integer, got "${values.batch}"`);
const threads = Number(values.threads);
if (!Number.isInteger(threads) || threads < 1) fail(`--threads must be a positive integer, got "${values.threads}"`);

let model: SentimentClassifier;
try {
  model = await loadSentimentClassifier(values.model ?? defaultSentimentModelDir(), { intraOpNumThreads: threads, batchSize: batch });
} catch (e) {
  fail((e as Error).message);
}

const withText = !values["no-text"];
// Lines in input order; `text` is empty for a blank line.
let pending: { line: number; text: string }[] = [];
let texts = 0;
let empty = 0;
let lineNo = 0;

async function flush(): Promise<void> {
  if (pending.length === 0) return;
  const lines = pending;
  pending = [];
  const preds = await model.classify(lines.filter((l) => l.text).map((l) => l.text));
  let next = 0;
  const out = lines.map(({ line, text }) => {
    if (!text) return JSON.stringify({ line, error: "empty text" });
    const p = preds[next++]!;
    return JSON.stringify(withText ? { text, label: p.label, scores: p.scores } : { label: p.label, scores: p.scores });
  });
  // Respect back-pressure so a large input does not pile up in memory.
  if (!process.stdout.write(out.join("\n") + "\n")) await new Promise((r) => process.stdout.once("drain", r));
}

for await (const raw of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNo++;
  const text = raw.trim();
  if (text) texts++;
  else empty++;
  pending.push({ line: lineNo, text });
  if (pending.length >= batch) await flush();
}
await flush();
await model.close();
if (empty > 0) console.error(`classify: ${empty} empty line(s) of ${lineNo}`);
if (texts === 0) fail(lineNo === 0 ? "no input: expected one text per line on stdin" : "no line had text to classify");
