// The launcher's memory split: what no isolate accounts for is what is left of the RSS.
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { MemoryLog, memorySample, type MemorySample } from "../../localcloud/logs/MemoryLog.ts";
import { sleep } from "../helpers/waitFor.ts";

const MB = 1048576;

describe("launcher memory log", () => {
  it("splits the RSS into the main isolate, each thread's isolate and native memory", () => {
    const usage = { rss: 500 * MB, heapTotal: 100 * MB, heapUsed: 80 * MB, external: 20 * MB, arrayBuffers: 15 * MB };
    const sample = memorySample({ search: { heap: 60 * MB, external: 140 * MB }, "sqs+s3": { heap: 30 * MB, external: 0 } }, usage);
    assert.deepEqual({ ...sample, at: undefined }, { at: undefined, rss: 500, heap: 100, external: 20, threads: { search: { heap: 60, external: 140 }, "sqs+s3": { heap: 30, external: 0 } }, native: 150 });
  });

  it("appends a sample per interval, with each thread's figures and how busy each event loop was", async () => {
    const dir = mkdtempSync(join(tmpdir(), "memory-log-"));
    const log = new MemoryLog(dir, async () => ({ search: { heap: 2 * MB, external: 3 * MB, busy: 0.426 } }), 100);
    // Keep the main loop busy for most of the first interval (from within the loop, as a handler would).
    setTimeout(() => {
      const until = Date.now() + 70;
      while (Date.now() < until);
    }, 10);
    await sleep(260);
    log.stop();
    const lines = readFileSync(log.path, "utf8").trim().split("\n").map((l) => JSON.parse(l) as MemorySample);
    assert.ok(lines.length >= 2, `${lines.length} samples`);
    assert.deepEqual(lines[0]!.threads.search, { heap: 2, external: 3, busy: 43 });
    assert.ok(lines[0]!.rss > lines[0]!.heap);
    assert.ok(lines[0]!.busy! >= 25, `the main loop was busy ${lines[0]!.busy} % of the first interval`);
    assert.ok(lines[1]!.busy! < lines[0]!.busy!, "and less in the next");
  });
});
