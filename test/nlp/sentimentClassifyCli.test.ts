import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

function classify(args: string[], input: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/classify.ts", ...args], { input, encoding: "utf8" });
}

test("classify: one JSON line per non-empty input line, in order; empty lines reported on stderr", () => {
  const input = "Exchange drained in $200M hack\n\nSEC approves spot bitcoin ETF\r\n   \nBitcoin trades flat ahead of the Fed meeting\n";
  const run = classify(["--batch", "2"], input);
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l) as { text: string; label: string; scores: Record<string, number> });
  assert.deepEqual(lines.map((l) => l.text), ["Exchange drained in $200M hack", "SEC approves spot bitcoin ETF", "Bitcoin trades flat ahead of the Fed meeting"]);
  assert.deepEqual(lines.map((l) => l.label), ["negative", "positive", "neutral"]);
  for (const l of lines) assert.ok(Math.abs(l.scores.positive! + l.scores.negative! + l.scores.neutral! - 1) < 1e-6);
  assert.match(run.stderr, /line 2 is empty, skipped/);
  assert.match(run.stderr, /line 4 is empty, skipped/);
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
