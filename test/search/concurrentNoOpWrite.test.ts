import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Client } from "@opensearch-project/opensearch";
import { startSearchServer } from "../../localcloud/search/server.ts";

// Regression: a write that appends nothing to the log (a 409), acknowledged while
// another write's fsync was in flight, used to wait forever for its sync.
describe("durable writes that change nothing", () => {
  it("answer at once while another write is being flushed", async () => {
    const server = await startSearchServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), "search-wal-")) });
    const client = new Client({ node: server.url, requestTimeout: 5000, maxRetries: 0 });
    try {
      await client.indices.create({ index: "wal-race" });
      for (let round = 0; round < 20; round++) {
        const started = Date.now();
        const results = await Promise.allSettled(
          [0, 1, 2].map(() => client.create({ index: "wal-race", id: `doc-${round}`, body: { round } })),
        );
        const statuses = results.map((r) => (r.status === "fulfilled" ? r.value.statusCode : (r.reason as { meta?: { statusCode?: number } }).meta?.statusCode));
        assert.deepEqual(statuses.sort(), [201, 409, 409], `round ${round}: ${JSON.stringify(statuses)}`);
        assert.ok(Date.now() - started < 4000, `round ${round} answered in ${Date.now() - started} ms`);
      }
    } finally {
      await client.close();
      await server.close();
    }
  });
});
