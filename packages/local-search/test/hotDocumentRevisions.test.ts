import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Client } from "@opensearch-project/opensearch";
import { startSearchServer } from "../src/index.ts";

// Regression: a few documents updated every second (a candle per timeframe, the latest
// quote per symbol) kept up to 50,000 dead revisions each before a merge, so a demo's
// launcher grew about 13 MB a minute for most of an hour. Local engine only: a real
// cluster merges on its own schedule.
describe("hot documents", () => {
  it("keep a bounded number of dead revisions however often they are updated", async () => {
    const server = await startSearchServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), "search-hot-")) });
    const client = new Client({ node: server.url, requestTimeout: 10_000, maxRetries: 0 });
    try {
      const index = "hot";
      await client.indices.create({ index, body: { mappings: { properties: { n: { type: "long" }, sym: { type: "keyword" } } } } });
      const deletedAfter: number[] = [];
      for (let round = 0; round < 12; round++) {
        // 5 documents, each rewritten 1,000 times per round.
        const body = Array.from({ length: 1000 }, (_, i) =>
          Array.from({ length: 5 }, (_, d) => [{ index: { _index: index, _id: `s${d}` } }, { sym: `s${d}`, n: round * 1000 + i }]),
        ).flat(2);
        const { body: res } = await client.bulk({ body: body as never, refresh: true });
        assert.equal(res.errors, false);
        const { body: rows } = await client.cat.indices({ index, format: "json" });
        const [row] = rows as unknown as Array<Record<string, string>>;
        assert.equal(row!["docs.count"], "5");
        deletedAfter.push(Number(row!["docs.deleted"]));
      }
      // 60,000 writes in all: dead revisions stay near the merge floor instead of piling up.
      assert.ok(Math.max(...deletedAfter) <= 5_000, `dead revisions after each round: ${deletedAfter.join(", ")}`);
      const { body: found } = await client.search({ index, body: { query: { term: { sym: "s3" } } } });
      assert.equal((found.hits.hits[0]!._source as { n: number }).n, 11_999);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
