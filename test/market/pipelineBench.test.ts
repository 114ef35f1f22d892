// Keeps bench/pipeline.bench.ts from rotting, and runs the whole price path once at a
// low rate: simulator → collector → SQS → event source mapping → consumer → store →
// MQTT. The benchmark checks its own accounting (sent = received = enqueued = stored
// = Σ candle trades) and exits non-zero on any mismatch; its figures are its business.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";

describe("pipeline benchmark, short variant", () => {
  it("stores every trade once end to end and notifies for them", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "bench/pipeline.bench.ts", "--quick", "--rate=2000", "--seconds=2", "--burst-seconds=1"], {
      encoding: "utf8",
      timeout: 180_000,
    });
    const out = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, out);
    // The sustained phase and the burst: each accounted for, nothing lost or counted twice.
    const accounted = out.match(/stored ([\d,]+) distinct trades, 1m "all" candles count ([\d,]+): lost 0, double-counted 0 OK/g) ?? [];
    assert.equal(accounted.length, 2, out);
    assert.match(out, /dead-lettered 0\b/);
    const notified = /notify\/data messages received ([\d,]+), unmatched 0/.exec(out);
    assert.ok(notified && Number(notified[1]!.replace(/,/g, "")) > 0, out);
  });
});
