import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

function classify(args: string[], input: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/classify.ts", ...args], { input, encoding: "utf8" });
}

type Line = { text?: string; label?: string; scores?: Record<string, number>; line?: number; error?: string };

test("classify: one JSON line per input line, in order; a blank line answers an error in its place", () => {
  // Blank lines inside a batch, at a batch boundary (--batch 2) and CRLF endings.
  const input = "Exchange drained in $200M hack\n\nSEC approves spot bitcoin ETF\r\n   \nBitcoin trades flat ahead of the Fed meeting\n";
  const run = classify(["--batch", "2"], input);
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Line);
  assert.equal(lines.length, 5, "output line N is input line N");
  assert.deepEqual(lines[1], { line: 2, error: "empty text" });
  assert.deepEqual(lines[3], { line: 4, error: "empty text" });
  const texts = [lines[0]!, lines[2]!, lines[4]!];
  assert.deepEqual(texts.map((l) => l.text), ["Exchange drained in $200M hack", "SEC approves spot bitcoin ETF", "Bitcoin trades flat ahead of the Fed meeting"]);
  assert.deepEqual(texts.map((l) => l.label), ["negative", "positive", "neutral"]);
  for (const l of texts) assert.ok(Math.abs(l.scores!.positive! + l.scores!.negative! + l.scores!.neutral! - 1) < 1e-6);
  assert.match(run.stderr, /2 empty line\(s\) of 5/);
});

test("classify: exit 1 when no line has text (the error lines still align)", () => {
  const run = classify([], "\n  \n");
  assert.equal(run.status, 1);
  assert.deepEqual(run.stdout.trim().split("\n").map((l) => JSON.parse(l) as Line), [{ line: 1, error: "empty text" }, { line: 2, error: "empty text" }]);
  assert.match(run.stderr, /no line had text to classify/);
  const none = classify([], "");
  assert.equal(none.status, 1);
  assert.equal(none.stdout, "");
  assert.match(none.stderr, /no input/);
});

test("classify: --no-text omits the text; bad flags give one clear error line and exit 1", () => {
  const ok = classify(["--no-text", "--model", "models/cryptoviz-sentiment"], "Bitcoin rallies\n");
  assert.equal(ok.status, 0, ok.stderr);
  assert.deepEqual(Object.keys(JSON.parse(ok.stdout)), ["label", "scores"]);
  for (const [args, pattern] of [
    [["--bogus"], /Unknown option '--bogus'/],
    [["--batch", "0"], /--batch must be a positive integer/],
    [["--model", "/nonexistent/model"], /\/nonexistent\/model/],
  ] as const) {
    const run = classify([...args], "x\n");
    assert.equal(run.status, 1);
    assert.equal(run.stdout, "");
    const err = run.stderr.trim().split("\n");
    assert.equal(err.length, 1, run.stderr);
    assert.match(err[0]!, pattern);
  }
});
