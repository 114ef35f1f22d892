import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { laggedCorrelation, pearson } from "../../lib/social/laggedCorrelation.ts";
import { activityBuckets, activityBucketStarts } from "../../lib/social/activityBuckets.ts";
import { HyperLogLog } from "../../lib/sketch/hyperLogLog.ts";

describe("lagged correlation", () => {
  it("Pearson's r: ±1 for linear series, null for too few pairs or a constant side", () => {
    assert.equal(pearson([1, 2, 3, 4], [2, 4, 6, 8]), 1);
    assert.equal(pearson([1, 2, 3, 4], [8, 6, 4, 2]), -1);
    assert.equal(pearson([1, 2], [1, 2]), null);
    assert.equal(pearson([1, 1, 1], [1, 2, 3]), null);
    assert.ok(Math.abs(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])! - 0.8) < 1e-12);
  });

  it("pairs the series at t with the return at t + lag, skipping unknowns", () => {
    // The returns repeat the series two buckets later: r = 1 at lag +2 only.
    const series = [1, 5, 2, 8, 3, 9, 4];
    const returns = [null, null, 1, 5, 2, 8, 3];
    const byLag = new Map(laggedCorrelation(series, returns).map((c) => [c.lag, c]));
    assert.equal(byLag.get(2)!.r, 1);
    assert.equal(byLag.get(2)!.n, 5);
    assert.ok(Math.abs(byLag.get(0)!.r!) < 1);
    assert.equal(byLag.get(-3)!.n, 2, "series at 3..6 against returns at 0..3, two of them known");
    assert.deepEqual(laggedCorrelation([null, 1], [0.1, 0.2], [0]), [{ lag: 0, r: null, n: 1 }]);
  });
});

describe("activity buckets", () => {
  const M = 60_000;
  const t0 = Date.parse("2026-11-22T10:00:00Z");
  const sketch = (...authors: string[]) => authors.reduce((s, a) => s.add(a), new HyperLogLog()).encode();

  it("adds counts, merges authors across minutes, and gives close and return per bucket", () => {
    const minutes = [
      { bucketStart: t0, posts: 2, positive: 1, negative: 0, scoreSum: 0.5, authorsHll: sketch("a", "b") },
      { bucketStart: t0 + 4 * M, posts: 3, positive: 0, negative: 2, scoreSum: -1, authorsHll: sketch("b", "c") },
      { bucketStart: t0 + 5 * M, posts: 1, positive: 1, negative: 0, scoreSum: 0.9, authorsHll: sketch("a") },
    ];
    const starts = activityBucketStarts("5m", t0 + 2 * M, t0 + 15 * M);
    assert.deepEqual(starts, [t0, t0 + 5 * M, t0 + 10 * M], "buckets overlapping the range, whole");
    const closes = new Map([[t0 - 5 * M, 100], [t0, 110], [t0 + 10 * M, 99]]);
    const out = activityBuckets("5m", starts, minutes, closes);
    assert.deepEqual(out.map((b) => [b.posts, b.authors, b.positive, b.negative]), [[5, 3, 1, 2], [1, 1, 1, 0], [0, 0, 0, 0]]);
    assert.ok(Math.abs(out[0]!.sentiment! - -0.1) < 1e-12);
    assert.equal(out[2]!.sentiment, null);
    assert.deepEqual(out.map((b) => b.close), [110, null, 99]);
    assert.ok(Math.abs(out[0]!.return! - 0.1) < 1e-12);
    assert.deepEqual([out[1]!.return, out[2]!.return], [null, null], "no return without both closes");
  });
});
