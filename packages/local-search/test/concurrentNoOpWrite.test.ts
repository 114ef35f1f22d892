import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Client } from "@opensearch-project/opensearch";
import { startSearchServer } from "../src/index.ts";

// Regression: a write that appends nothing to the log (a 409), acknowledged while
// another write's fsync was in flight, used to wait forever for its sync.
describe("durable writes that change nothing", () => {
  it("answer at once while another write is being flushed", async () => {
    const server = await startSearchServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), "search-wal-")) });
    const client = new Client({ node: server.url, requestTimeout: 5000, maxRetries: 0 });
    try {
      await client.indices.create({ index: "wal-race" });
      const existing = Array.from({ length: 50 }, (_, i) => `taken-${i}`);
      await client.bulk({ body: existing.flatMap((id) => [{ create: { _index: "wal-race", _id: id } }, { n: 1 }]) });
      for (let round = 0; round < 10; round++) {
        const started = Date.now();
        // A large bulk keeps the log busy flushing while an all-409 bulk arrives.
        const big = client.bulk({ body: Array.from({ length: 5000 }, (_, i) => [{ index: { _index: "wal-race", _id: `r${round}-${i}` } }, { text: "x".repeat(200), i }]).flat() });
        const conflicts = client.bulk({ body: existing.flatMap((id) => [{ create: { _index: "wal-race", _id: id } }, { n: 2 }]) });
        const [a, b] = await Promise.all([big, conflicts]);
        assert.equal(a.body.errors, false);
        assert.equal(b.body.errors, true);
        assert.ok(b.body.items.every((item) => item.create?.status === 409));
        assert.ok(Date.now() - started < 4000, `round ${round} answered in ${Date.now() - started} ms`);
      }
    } finally {
      await client.close();
      await server.close();
    }
  });
});
