import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bucketEnd, bucketStart, bucketStartsBetween } from "../../lib/candles/bucketStart.ts";
import { TIMEFRAME_MS, TIMEFRAMES } from "../../contracts/timeframes.ts";
import { refBucketStart, rng } from "./reference.ts";

const iso = (s: string) => Date.parse(s);

describe("bucketStart", () => {
  test("a time exactly on a boundary starts its own bucket", () => {
    assert.equal(bucketStart("1m", iso("2024-05-06T10:07:00.000Z")), iso("2024-05-06T10:07:00.000Z"));
    assert.equal(bucketStart("5m", iso("2024-05-06T10:05:00.000Z")), iso("2024-05-06T10:05:00.000Z"));
    assert.equal(bucketStart("4h", iso("2024-05-06T08:00:00.000Z")), iso("2024-05-06T08:00:00.000Z"));
    assert.equal(bucketStart("1d", iso("2024-05-06T00:00:00.000Z")), iso("2024-05-06T00:00:00.000Z"));
    // 2024-05-06 is a Monday
    assert.equal(bucketStart("1w", iso("2024-05-06T00:00:00.000Z")), iso("2024-05-06T00:00:00.000Z"));
  });

  test("one millisecond before a boundary belongs to the previous bucket", () => {
    assert.equal(bucketStart("1m", iso("2024-05-06T10:06:59.999Z")), iso("2024-05-06T10:06:00.000Z"));
    assert.equal(bucketStart("15m", iso("2024-05-06T10:14:59.999Z")), iso("2024-05-06T10:00:00.000Z"));
    assert.equal(bucketStart("4h", iso("2024-05-06T07:59:59.999Z")), iso("2024-05-06T04:00:00.000Z"));
    assert.equal(bucketStart("1w", iso("2024-05-05T23:59:59.999Z")), iso("2024-04-29T00:00:00.000Z"));
  });

  test("weeks start on Monday 00:00 UTC, whatever the weekday", () => {
    const monday = iso("2024-05-13T00:00:00.000Z");
    for (let d = 0; d < 7; d++) {
      const t = monday + d * 86_400_000 + 12 * 3_600_000;
      assert.equal(bucketStart("1w", t), monday, new Date(t).toISOString());
      assert.equal(new Date(bucketStart("1w", t)).getUTCDay(), 1);
    }
  });

  test("month and year rollover", () => {
    assert.equal(bucketStart("1d", iso("2024-02-29T23:59:59.999Z")), iso("2024-02-29T00:00:00.000Z"));
    assert.equal(bucketStart("1d", iso("2024-03-01T00:00:00.000Z")), iso("2024-03-01T00:00:00.000Z"));
    assert.equal(bucketStart("1h", iso("2023-12-31T23:30:00.000Z")), iso("2023-12-31T23:00:00.000Z"));
    assert.equal(bucketStart("4h", iso("2024-01-01T03:59:59.999Z")), iso("2024-01-01T00:00:00.000Z"));
    // 2025-01-01 is a Wednesday: its week began Monday 2024-12-30.
    assert.equal(bucketStart("1w", iso("2025-01-01T12:00:00.000Z")), iso("2024-12-30T00:00:00.000Z"));
    // 2021-01-03 is a Sunday: week of Monday 2020-12-28.
    assert.equal(bucketStart("1w", iso("2021-01-03T23:59:59.999Z")), iso("2020-12-28T00:00:00.000Z"));
  });

  test("times before 1970 and in the first epoch week floor correctly", () => {
    assert.equal(bucketStart("1w", 0), iso("1969-12-29T00:00:00.000Z"));
    assert.equal(bucketStart("1m", -1), -60_000);
  });

  test("matches a calendar-field computation for random times in every timeframe", () => {
    const r = rng(7);
    for (let i = 0; i < 5000; i++) {
      const t = Math.floor(iso("2000-01-01T00:00:00Z") + r() * 40 * 365 * 86_400_000);
      for (const tf of TIMEFRAMES) {
        const s = bucketStart(tf, t);
        assert.equal(s, refBucketStart(tf, t), `${tf} ${new Date(t).toISOString()}`);
        assert.ok(s <= t && t < bucketEnd(tf, s));
      }
    }
  });

  test("bucketStartsBetween lists every overlapping bucket", () => {
    const from = iso("2024-05-06T10:03:00Z");
    const to = iso("2024-05-06T10:16:00Z");
    assert.deepEqual(bucketStartsBetween("5m", from, to), [
      iso("2024-05-06T10:00:00Z"),
      iso("2024-05-06T10:05:00Z"),
      iso("2024-05-06T10:10:00Z"),
      iso("2024-05-06T10:15:00Z"),
    ]);
    assert.deepEqual(bucketStartsBetween("1h", from, to), [iso("2024-05-06T10:00:00Z")]);
    assert.equal(TIMEFRAME_MS["1w"], 7 * 86_400_000);
  });

  test("rejects a non-finite time", () => {
    assert.throws(() => bucketStart("1m", Number.NaN), RangeError);
  });
});
