// An index doubles its arrays before its slots run out, one array per event-loop
// turn (IndexStore.growAhead), instead of all at once in the write that needs the
// room. Checked through the REST API while the growth runs (writes between the
// turns, a field first seen in the middle of one, every value searchable
// afterwards), and with a merge that replaces the arrays in the middle of one.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Cluster } from "../src/cluster/Cluster.ts";
import { makeRequestHandler } from "../src/http/makeRequestHandler.ts";
import { indexDocument } from "../src/rest/documentWrites.ts";
import { buildRouter } from "../src/startSearchServer.ts";
import { REAL_URL } from "./target.ts";

const skip = REAL_URL ? "the local endpoint's internals" : false;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("growing an index ahead of need", { skip }, () => {
  it("doubles the capacity before the slots run out, with requests served between the arrays", async () => {
    const cluster = new Cluster();
    const server = createServer(makeRequestHandler(buildRouter(cluster)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (method: string, path: string, body?: string) => {
      const response = await fetch(url + path, { method, headers: { "content-type": "application/x-ndjson" }, body });
      const json = (await response.json()) as Record<string, unknown>;
      assert.ok(response.ok, `${method} ${path}: ${JSON.stringify(json).slice(0, 300)}`);
      return json;
    };
    try {
      const N = 20_000;
      const LATE_FROM = 3_100; // 4,096 slots, 3/4 used at 3,072: "late" is first seen while they double
      let written = 0;
      let grown = 0;
      while (written < N) {
        const lines: string[] = [];
        for (let i = written; i < Math.min(N, written + 97); i++) {
          lines.push(JSON.stringify({ index: { _index: "grow", _id: `binance|BTCUSDT|${i}` } }));
          lines.push(JSON.stringify({ n: i, k: `k${i % 7}`, ...(i >= LATE_FROM ? { late: i * 2 } : {}) }));
        }
        const answer = await call("POST", "/_bulk", lines.join("\n") + "\n");
        assert.equal(answer.errors, false);
        written = Math.min(N, written + 97);
        const ix = cluster.indices.get("grow")!;
        // A request between the turns: the arrays of the slots written so far are in place.
        if (written % (97 * 10) < 97) assert.equal(((await call("POST", "/grow/_count", "{}")) as { count: number }).count >= 0, true);
        if (ix.slotCount > ix.capacity * 0.75) {
          // The growth runs one array per turn: within 20 turns the capacity has doubled, before any write needed it.
          const before = ix.capacity;
          for (let t = 0; t < 20 && ix.capacity === before; t++) await turn();
          assert.equal(ix.capacity, before * 2, `capacity ${before} at ${ix.slotCount} slots, 20 turns later`);
          grown++;
        }
      }
      const ix = cluster.indices.get("grow")!;
      assert.equal(grown, 5, "grown ahead at 1,024, 2,048, 4,096, 8,192 and 16,384 slots");
      assert.ok(ix.capacity >= 32_768, `capacity ${ix.capacity}`);

      await call("POST", "/grow/_refresh");
      const search = (await call(
        "POST",
        "/grow/_search",
        JSON.stringify({ size: 0, track_total_hits: true, aggs: { n: { sum: { field: "n" } }, late: { sum: { field: "late" } }, lateCount: { value_count: { field: "late" } }, k: { terms: { field: "k.keyword", size: 10 } } } }),
      )) as { hits: { total: { value: number } }; aggregations: Record<string, { value?: number; buckets?: Array<{ key: string; doc_count: number }> }> };
      assert.equal(search.hits.total.value, N);
      assert.equal(search.aggregations.n!.value, (N * (N - 1)) / 2);
      assert.equal(search.aggregations.lateCount!.value, N - LATE_FROM);
      assert.equal(search.aggregations.late!.value, 2 * ((N * (N - 1)) / 2 - (LATE_FROM * (LATE_FROM - 1)) / 2));
      assert.deepEqual(
        search.aggregations.k!.buckets!.map((b) => [b.key, b.doc_count]).sort(),
        Array.from({ length: 7 }, (_, r) => [`k${r}`, Math.ceil((N - r) / 7)]).sort(),
      );
      for (const i of [0, 3_071, 3_072, 4_095, 4_096, 6_143, 12_288, N - 1]) {
        const got = (await call("GET", `/grow/_doc/${encodeURIComponent(`binance|BTCUSDT|${i}`)}`)) as { _source: { n: number; late?: number } };
        assert.equal(got._source.n, i);
        assert.equal(got._source.late, i >= LATE_FROM ? i * 2 : undefined);
      }
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("stops a growth under way when a merge replaces the arrays, and keeps every document", async () => {
    const cluster = new Cluster();
    // 2,000 documents, then 1,100 new revisions of the first ones: 3,100 slots of 4,096, past 3/4.
    for (let i = 0; i < 2_000; i++) indexDocument(cluster, "merge", String(i), JSON.stringify({ n: i }), "index");
    for (let i = 0; i < 1_100; i++) indexDocument(cluster, "merge", String(i), JSON.stringify({ n: i + 10_000 }), "index");
    const ix = cluster.indices.get("merge")!;
    assert.equal(ix.capacity, 4_096);
    assert.equal(ix.forceMerge(), true, "merged before the growth's first turn");
    assert.equal(ix.capacity, 2_048, "the merge sized its own arrays");
    for (let t = 0; t < 20; t++) await turn();
    assert.equal(ix.capacity, 2_048, "the growth of the old arrays stopped");
    assert.ok(ix.versions.length === 2_048 && ix.idOfSlot.length === 2_048, "and did not grow the new ones");
    for (let i = 2_000; i < 2_100; i++) indexDocument(cluster, "merge", String(i), JSON.stringify({ n: i }), "index");
    assert.equal(ix.liveCount, 2_100);
    for (const i of [0, 1_099, 1_100, 1_999, 2_000, 2_099]) {
      const state = ix.lookup(String(i))!;
      assert.equal(JSON.parse(ix.sourceString(state.slot)).n, i < 1_100 ? i + 10_000 : i);
    }
  });
});
