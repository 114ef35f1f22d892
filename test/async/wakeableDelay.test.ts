// A reconnect backoff that a stop cuts short: the window ends on time.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WakeableDelay } from "../../lib/async/WakeableDelay.ts";

describe("WakeableDelay", () => {
  it("waits the time given, or until woken", async () => {
    const delay = new WakeableDelay();
    let t0 = Date.now();
    await delay.wait(60);
    assert.ok(Date.now() - t0 >= 55, "a full wait");
    t0 = Date.now();
    const waiting = delay.wait(10_000);
    setTimeout(() => delay.wake(), 20);
    await waiting;
    assert.ok(Date.now() - t0 < 1000, `woken after ${Date.now() - t0} ms`);
    delay.wake(); // nothing under way: no effect
  });
});
