import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planBatches, SQS_LIMITS } from "../../lib/queue/planBatches.ts";

describe("planBatches", () => {
  it("respects the 10-entry and 256 KiB batch limits and keeps the order", () => {
    const sizes = [100_000, 100_000, 100_000, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 262_144, 1];
    const batches = planBatches(sizes.map((bytes, i) => ({ bytes, i })));
    for (const batch of batches) {
      assert.ok(batch.length <= SQS_LIMITS.maxEntries);
      assert.ok(batch.reduce((n, m) => n + m.bytes, 0) <= SQS_LIMITS.maxBatchBytes);
    }
    assert.deepEqual(batches.flat().map((m) => m.i), sizes.map((_, i) => i));
    assert.equal(batches.length, 5);
  });

  it("refuses a single message over the limit", () => {
    assert.throws(() => planBatches([{ bytes: 262_145 }]), RangeError);
  });
});
