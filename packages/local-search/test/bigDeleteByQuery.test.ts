import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Client } from "@opensearch-project/opensearch";
import { startSearchServer } from "../src/index.ts";

// Regression: past 100,000 tombstones every further delete rescanned them all (none old
// enough to sweep), so one _delete_by_query of 150,000 documents ran for minutes, and the
// local trade retention of a 2,000 trades/s demo stalled the endpoint. Local engine only.
describe("a large _delete_by_query", () => {
  it("deletes 150,000 documents in seconds, not minutes", async () => {
    const server = await startSearchServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), "search-dbq-")) });
    const client = new Client({ node: server.url, requestTimeout: 120_000, maxRetries: 0 });
    try {
      const index = "many";
      await client.indices.create({ index, body: { mappings: { properties: { n: { type: "long" } } } } });
      for (let start = 0; start < 150_000; start += 25_000) {
        const body = Array.from({ length: 25_000 }, (_, i) => [{ index: { _index: index, _id: `d${start + i}` } }, { n: start + i }]).flat();
        const { body: res } = await client.bulk({ body: body as never });
        assert.equal(res.errors, false);
      }
      await client.indices.refresh({ index });
      const started = performance.now();
      const { body: deleted } = await client.deleteByQuery({ index, refresh: true, body: { query: { range: { n: { lt: 150_000 } } } } });
      const seconds = (performance.now() - started) / 1000;
      assert.equal((deleted as { deleted: number }).deleted, 150_000);
      // About a second here; the quadratic sweep took minutes.
      assert.ok(seconds < 30, `took ${seconds.toFixed(1)} s`);
      const { body: count } = await client.count({ index });
      assert.equal(count.count, 0);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
