// Window arithmetic at the edges: exactly on a boundary, one ms either side, day rollover.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  bucketStartsIn,
  hoursBeforeCurrentHour,
  hoursBeforePreviousHour,
  minutesBeforeCurrentMinute,
  previousHour,
  startOfHour,
  startOfMinute,
  windowJson,
} from "../../lib/api/windows.ts";

const t = (s: string) => Date.parse(s);
const w = (from: string, to: string) => ({ from: t(from), to: t(to) });

describe("API time windows (UTC, half-open)", () => {
  it("start of hour / minute: a boundary belongs to the hour that starts there", () => {
    assert.equal(startOfHour(t("2026-11-22T10:00:00.000Z")), t("2026-11-22T10:00:00.000Z"));
    assert.equal(startOfHour(t("2026-11-22T09:59:59.999Z")), t("2026-11-22T09:00:00.000Z"));
    assert.equal(startOfHour(t("2026-11-22T10:00:00.001Z")), t("2026-11-22T10:00:00.000Z"));
    assert.equal(startOfMinute(t("2026-11-22T10:07:00.000Z")), t("2026-11-22T10:07:00.000Z"));
    assert.equal(startOfMinute(t("2026-11-22T10:06:59.999Z")), t("2026-11-22T10:06:00.000Z"));
    assert.throws(() => startOfHour(NaN), RangeError);
  });

  it("previous hour = [H - 1h, H)", () => {
    assert.deepEqual(previousHour(t("2026-11-22T10:00:00.000Z")), w("2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"));
    assert.deepEqual(previousHour(t("2026-11-22T09:59:59.999Z")), w("2026-11-22T08:00:00Z", "2026-11-22T09:00:00Z"));
    assert.deepEqual(previousHour(t("2026-11-22T10:00:00.001Z")), w("2026-11-22T09:00:00Z", "2026-11-22T10:00:00Z"));
    assert.deepEqual(previousHour(t("2026-11-22T00:30:00Z")), w("2026-11-21T23:00:00Z", "2026-11-22T00:00:00Z"));
  });

  it("last 6 hours excluding the previous hour = [H - 7h, H - 1h)", () => {
    assert.deepEqual(hoursBeforePreviousHour(t("2026-11-22T10:00:00.000Z"), 6), w("2026-11-22T03:00:00Z", "2026-11-22T09:00:00Z"));
    assert.deepEqual(hoursBeforePreviousHour(t("2026-11-22T09:59:59.999Z"), 6), w("2026-11-22T02:00:00Z", "2026-11-22T08:00:00Z"));
    assert.deepEqual(hoursBeforePreviousHour(t("2026-11-22T10:00:00.001Z"), 6), w("2026-11-22T03:00:00Z", "2026-11-22T09:00:00Z"));
    // Day rollover: at 03:15 the window is 20:00 → 02:00 of the previous day and this one.
    assert.deepEqual(hoursBeforePreviousHour(t("2026-11-22T03:15:00Z"), 6), w("2026-11-21T20:00:00Z", "2026-11-22T02:00:00Z"));
    // Month and year rollover.
    assert.deepEqual(hoursBeforePreviousHour(t("2027-01-01T01:00:00Z"), 6), w("2026-12-31T18:00:00Z", "2027-01-01T00:00:00Z"));
  });

  it("last 12 hours excluding the current hour = [H - 12h, H)", () => {
    assert.deepEqual(hoursBeforeCurrentHour(t("2026-11-22T10:00:00.000Z"), 12), w("2026-11-21T22:00:00Z", "2026-11-22T10:00:00Z"));
    assert.deepEqual(hoursBeforeCurrentHour(t("2026-11-22T09:59:59.999Z"), 12), w("2026-11-21T21:00:00Z", "2026-11-22T09:00:00Z"));
    assert.deepEqual(hoursBeforeCurrentHour(t("2026-11-22T10:00:00.001Z"), 12), w("2026-11-21T22:00:00Z", "2026-11-22T10:00:00Z"));
  });

  it("last N minutes excluding the current minute = [M - N min, M)", () => {
    assert.deepEqual(minutesBeforeCurrentMinute(t("2026-11-22T10:00:00.000Z"), 5), w("2026-11-22T09:55:00Z", "2026-11-22T10:00:00Z"));
    assert.deepEqual(minutesBeforeCurrentMinute(t("2026-11-22T09:59:59.999Z"), 5), w("2026-11-22T09:54:00Z", "2026-11-22T09:59:00Z"));
    assert.deepEqual(minutesBeforeCurrentMinute(t("2026-11-22T10:00:00.001Z"), 1), w("2026-11-22T09:59:00Z", "2026-11-22T10:00:00Z"));
    assert.deepEqual(minutesBeforeCurrentMinute(t("2026-11-22T00:00:30Z"), 1440), w("2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z"));
  });

  it("bucket starts and the JSON form of a window", () => {
    const win = hoursBeforePreviousHour(t("2026-11-22T10:20:00Z"), 6);
    assert.deepEqual(bucketStartsIn(win, 3_600_000).map((ms) => new Date(ms).toISOString().slice(11, 13)), ["03", "04", "05", "06", "07", "08"]);
    assert.deepEqual(windowJson(win), { from: "2026-11-22T03:00:00.000Z", to: "2026-11-22T09:00:00.000Z" });
  });
});
