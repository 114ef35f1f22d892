import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, test } from "node:test";
import { Client } from "@opensearch-project/opensearch";
import { bulkWrite, failuresByKey, serializeOperation } from "../../lib/store/bulkWrite.ts";
import { ConcurrentUpdateError, PermanentStoreError, RetryableStoreError } from "../../lib/store/errors.ts";

describe("bulk serialization", () => {
  test("writes OpenSearch's action lines", () => {
    assert.equal(
      serializeOperation({ action: "index", index: "i", id: "1", doc: { a: 1 }, ifSeqNo: 3, ifPrimaryTerm: 1, keys: [] }),
      '{"index":{"_index":"i","_id":"1","if_seq_no":3,"if_primary_term":1}}\n{"a":1}\n',
    );
    assert.equal(
      serializeOperation({ action: "index", index: "i", id: "1", doc: {}, version: 5, versionType: "external", keys: [] }),
      '{"index":{"_index":"i","_id":"1","version":5,"version_type":"external"}}\n{}\n',
    );
    assert.equal(
      serializeOperation({ action: "update", index: "i", id: "1", doc: { a: 1 }, docAsUpsert: true, keys: [] }),
      '{"update":{"_index":"i","_id":"1"}}\n{"doc":{"a":1},"doc_as_upsert":true}\n',
    );
    assert.equal(serializeOperation({ action: "delete", index: "i", id: "1", keys: [] }), '{"delete":{"_index":"i","_id":"1"}}\n');
  });
});

/** A fake _bulk endpoint: answers each item with the status `plan` gives it, per attempt. */
async function fakeBulk(plan: (id: string, attempt: number) => number | "request429") {
  const attempts = new Map<string, number>();
  let requests = 0;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests++;
      const lines = body.split("\n").filter(Boolean);
      const items: unknown[] = [];
      let whole429 = false;
      for (let i = 0; i < lines.length; i += 2) {
        const meta = JSON.parse(lines[i] as string) as Record<string, { _id: string }>;
        const [action, m] = Object.entries(meta)[0] as [string, { _id: string }];
        const n = (attempts.get(m._id) ?? 0) + 1;
        attempts.set(m._id, n);
        const s = plan(m._id, n);
        if (s === "request429") whole429 = true;
        const status = s === "request429" ? 200 : s;
        items.push({
          [action]: {
            _id: m._id,
            status,
            ...(status < 300
              ? { result: "created", _seq_no: 0, _primary_term: 1, _version: 1 }
              : { error: { type: status === 409 ? "version_conflict_engine_exception" : status === 429 ? "es_rejected_execution_exception" : "mapper_parsing_exception", reason: "r" } }),
          },
        });
      }
      res.setHeader("content-type", "application/json");
      if (whole429) {
        res.statusCode = 429;
        res.end(JSON.stringify({ error: { type: "es_rejected_execution_exception", reason: "busy", root_cause: [] }, status: 429 }));
        return;
      }
      res.end(JSON.stringify({ took: 1, errors: items.some((x) => Object.values(x as object)[0].status >= 300), items }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const client = new Client({ node: `http://127.0.0.1:${(server.address() as { port: number }).port}`, maxRetries: 0 });
  return {
    client,
    get requests() {
      return requests;
    },
    async close() {
      await client.close();
      server.close();
    },
  };
}

const op = (id: string, keys: string[]) => ({ action: "create" as const, index: "i", id, doc: { id }, keys });

describe("bulkWrite", () => {
  test("retries 429 items with backoff, reports every other outcome keyed by record", async () => {
    const fake = await fakeBulk((id, n) => (id === "busy" ? (n < 3 ? 429 : 201) : id === "bad" ? 400 : id === "dup" ? 409 : 201));
    try {
      const results = await bulkWrite(fake.client, [op("a", ["k1"]), op("busy", ["k2"]), op("bad", ["k3", "k1"]), op("dup", ["k4"])], { backoffMs: 1 });
      assert.deepEqual(results.map((r) => r.status), [201, 201, 400, 409]);
      assert.equal(fake.requests, 3);
      const failed = failuresByKey(results, (r) => r.status === 409);
      assert.deepEqual([...failed.keys()].sort(), ["k1", "k3"]);
      assert.ok(failed.get("k3") instanceof PermanentStoreError);
      assert.equal(failed.get("k3")?.type, "mapper_parsing_exception");
      const strict = failuresByKey(results);
      assert.ok(strict.get("k4") instanceof ConcurrentUpdateError);
    } finally {
      await fake.close();
    }
  });

  test("gives up on 429 after the configured retries with a retryable error", async () => {
    const fake = await fakeBulk(() => 429);
    try {
      const results = await bulkWrite(fake.client, [op("a", ["k1"])], { retries: 2, backoffMs: 1 });
      assert.equal(results[0]?.status, 429);
      assert.equal(fake.requests, 3);
      assert.ok(failuresByKey(results).get("k1") instanceof RetryableStoreError);
    } finally {
      await fake.close();
    }
  });

  test("a whole request answered 429 is retried, then succeeds", async () => {
    const fake = await fakeBulk((_id, n) => (n === 1 ? "request429" : 201));
    try {
      const results = await bulkWrite(fake.client, [op("a", ["k1"]), op("b", ["k2"])], { backoffMs: 1 });
      assert.deepEqual(results.map((r) => r.status), [201, 201]);
    } finally {
      await fake.close();
    }
  });

  test("splits into size-capped requests and keeps input order", async () => {
    const fake = await fakeBulk(() => 201);
    try {
      const ops = Array.from({ length: 50 }, (_, i) => op(`d${i}`, [`k${i}`]));
      const results = await bulkWrite(fake.client, ops, { maxOperations: 7, concurrency: 3 });
      assert.equal(fake.requests, 8);
      assert.deepEqual(results.map((r) => r.op.id), ops.map((o) => o.id));
    } finally {
      await fake.close();
    }
  });

  test("an unreachable endpoint fails every item as retryable, without throwing", async () => {
    const client = new Client({ node: "http://127.0.0.1:1", maxRetries: 0, requestTimeout: 2000 });
    const results = await bulkWrite(client, [op("a", ["k1"]), op("b", ["k2"])]);
    const failed = failuresByKey(results);
    assert.equal(failed.size, 2);
    assert.ok([...failed.values()].every((e) => e instanceof RetryableStoreError));
    await client.close();
  });
});
