// Classifies text from stdin, one text per line, printing one JSON line per text:
//   npm run classify [-- --model <dir>] [--batch <n>] [--no-text] < headlines.txt
//   {"text":"…","label":"negative","scores":{"positive":0.03,"negative":0.91,"neutral":0.06}}
// Empty lines are skipped (and reported on stderr). Output order follows input order.
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
let pending: string[] = [];
let skipped = 0;
let lineNo = 0;

async function flush(): Promise<void> {
  if (pending.length === 0) return;
  const texts = pending;
  pending = [];
  const preds = await model.classify(texts);
  const out = preds.map((p, i) => JSON.stringify(withText ? { text: texts[i], label: p.label, scores: p.scores } : { label: p.label, scores: p.scores }));
  // Respect back-pressure so a large input does not pile up in memory.
  if (!process.stdout.write(out.join("\n") + "\n")) await new Promise((r) => process.stdout.once("drain", r));
}

for await (const raw of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNo++;
  const text = raw.trim();
  if (!text) {
    skipped++;
    console.error(`classify: line ${lineNo} is empty, skipped`);
    continue;
  }
  pending.push(text);
  if (pending.length >= batch) await flush();
}
await flush();
await model.close();
if (skipped > 0) console.error(`classify: ${skipped} empty line(s) skipped of ${lineNo}`);
