// The reader of crypto set v2: five columns, three splits, and the guarantee that code
// asking only for train and dev never receives a test row.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseCryptoHeadlines, readCryptoHeadlineSet } from "../../lib/training/sentiment/cryptoHeadlineSet.ts";
import { LABELS } from "../../lib/training/sentiment/datasets.ts";

const V2_PATH = join("models", "cryptoviz-sentiment", "data", "crypto_headlines_v2.tsv");

const FIXTURE = [
  "# comment line",
  "train\tpositive\tlisting\tlisting-01\tExchange lists a new token",
  "",
  "dev\tnegative\thack_outage\thack_outage-02\tBridge drained of $25M\r",
  "test\tneutral\texplainer\texplainer-03\tWhat is a token unlock?",
  "train\tnegative\tenforcement\tenforcement-04\tRegulator fines exchange $10M",
].join("\n");

test("parseCryptoHeadlines: five columns into text, label index, event type, template and split", () => {
  const all = parseCryptoHeadlines(FIXTURE, ["train", "dev", "test"]);
  assert.deepEqual(all.train.map((r) => [r.text, LABELS[r.label], r.eventType, r.template, r.split]), [
    ["Exchange lists a new token", "positive", "listing", "listing-01", "train"],
    ["Regulator fines exchange $10M", "negative", "enforcement", "enforcement-04", "train"],
  ]);
  assert.equal(all.dev[0]!.text, "Bridge drained of $25M", "CRLF is stripped");
  assert.equal(all.test[0]!.template, "explainer-03");
});

test("parseCryptoHeadlines: only the splits asked for are returned", () => {
  const some = parseCryptoHeadlines(FIXTURE, ["train", "dev"]);
  assert.deepEqual(Object.keys(some).sort(), ["dev", "train"]);
  assert.equal((some as Record<string, unknown>).test, undefined);
  assert.throws(() => parseCryptoHeadlines(FIXTURE, ["valid" as "dev"]), /unknown split "valid" requested/);
});

test("parseCryptoHeadlines: malformed rows fail with their line number", () => {
  assert.throws(() => parseCryptoHeadlines("train\tpositive\tExchange lists a token\n", ["train"], "f.tsv"), /f\.tsv:1: expected split<TAB>label<TAB>event_type<TAB>template<TAB>headline, got 3/);
  assert.throws(() => parseCryptoHeadlines("#\nvalid\tpositive\tlisting\tlisting-01\tX lists Y\n", ["train"], "f.tsv"), /f\.tsv:2: unknown split "valid"/);
  assert.throws(() => parseCryptoHeadlines("dev\tbullish\tlisting\tlisting-01\tX lists Y\n", ["train"], "f.tsv"), /f\.tsv:1: unknown label "bullish"/);
  assert.throws(() => parseCryptoHeadlines("dev\tpositive\t \tlisting-01\tX lists Y\n", ["dev"], "f.tsv"), /f\.tsv:1: expected/);
});

test("readCryptoHeadlineSet: the real v2 file, every data line in exactly one split", () => {
  const dataLines = readFileSync(V2_PATH, "utf8").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
  const all = readCryptoHeadlineSet(V2_PATH, ["train", "dev", "test"]);
  assert.equal(all.train.length + all.dev.length + all.test.length, dataLines.length);
  for (const split of ["train", "dev", "test"] as const) {
    assert.ok(all[split].length > 0, `${split} is empty`);
    assert.ok(all[split].every((r) => r.split === split));
  }
  const templates = (rows: { template: string }[]) => new Set(rows.map((r) => r.template));
  const trainT = templates(all.train);
  assert.ok([...templates(all.dev), ...templates(all.test)].every((t) => !trainT.has(t)), "templates do not straddle splits");
  assert.equal(readCryptoHeadlineSet(V2_PATH, ["train", "dev"]).dev.length, all.dev.length);
});
