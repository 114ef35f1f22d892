// Contract: HTTP-level behaviour — JSON content type on every response, the
// OpenSearch error envelope, and clear errors for what is not supported.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { failure, startTarget, type Target } from "./target.ts";

let t: Target;
before(async () => {
  t = await startTarget();
  await t.client.indices.create({ index: t.name("proto"), body: { mappings: { properties: { n: { type: "long" }, s: { type: "keyword" } } } } });
});
after(async () => {
  await t.close();
});

async function raw(method: string, path: string, body?: string): Promise<{ status: number; type: string | null; json: unknown }> {
  const headers: Record<string, string> = body !== undefined ? { "content-type": "application/json" } : {};
  const auth = process.env.OPENSEARCH_USERNAME ? "Basic " + Buffer.from(`${process.env.OPENSEARCH_USERNAME}:${process.env.OPENSEARCH_PASSWORD ?? ""}`).toString("base64") : undefined;
  if (auth) headers.authorization = auth;
  const res = await fetch(new URL(path, t.url), { method, headers, body });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), json: text === "" ? null : JSON.parse(text) };
}

describe("responses", () => {
  it("answers application/json for successes and errors, with the OpenSearch error envelope", async () => {
    const index = t.name("proto");
    const cases: [string, string, string?][] = [
      ["GET", "/"],
      ["GET", `/${index}/_mapping`],
      ["POST", `/${index}/_search`, JSON.stringify({ query: { match_all: {} } })],
      ["GET", `/${index}/_doc/missing`],
      ["GET", `/${t.name("absent")}/_search`],
      ["POST", `/${index}/_search`, "{not json"],
      ["POST", `/${index}/_search`, JSON.stringify({ query: { no_such: {} } })],
    ];
    for (const [method, path, body] of cases) {
      const r = await raw(method, path, body);
      assert.match(r.type ?? "", /^application\/json/, `${method} ${path}`);
      if (r.status >= 400 && path !== `/${index}/_doc/missing`) {
        const e = r.json as { error: { root_cause: { type: string; reason: string }[]; type: string; reason: string }; status: number };
        assert.equal(e.status, r.status);
        assert.equal(typeof e.error.type, "string");
        assert.equal(typeof e.error.reason, "string");
        assert.ok(Array.isArray(e.error.root_cause) && e.error.root_cause.length > 0);
      }
    }
  });

  it("rejects malformed JSON bodies with 400", async () => {
    const r = await raw("POST", `/${t.name("proto")}/_search`, "{not json");
    assert.equal(r.status, 400);
  });

  it("rejects unknown URL parameters with 400", async () => {
    const f = await failure(t.client.transport.request({ method: "GET", path: `/${t.name("proto")}/_search`, querystring: { no_such_param: "1" } }));
    assert.equal(f.status, 400);
    assert.equal(f.type, "illegal_argument_exception");
  });

  it("answers 405 for a known path with the wrong method", async () => {
    const r = await raw("DELETE", `/${t.name("proto")}/_search`);
    assert.equal(r.status, 405);
  });
});

describe("unsupported features (the local endpoint names them)", () => {
  const local = (): boolean => !t.real;

  it("names unsupported routes", async (ctx) => {
    if (!local()) return ctx.skip("a real cluster supports them");
    const r = await raw("GET", "/_cat/shards");
    assert.equal(r.status, 400);
    assert.match(JSON.stringify(r.json), /_cat\/shards.*not supported/);
  });

  it("names unsupported query and aggregation types instead of answering wrongly", async (ctx) => {
    if (!local()) return ctx.skip("a real cluster supports them");
    const index = t.name("proto");
    const q = await failure(t.client.search({ index, body: { query: { wildcard: { s: "a*" } } } }));
    assert.equal(q.status, 400);
    assert.match(q.reason, /wildcard.*not supported/);
    const a = await failure(t.client.search({ index, body: { size: 0, aggs: { p: { percentiles: { field: "n" } } } } as never }));
    assert.equal(a.status, 400);
    assert.match(a.reason, /percentiles.*not supported/);
  });

  it("names unsupported scripted updates", async (ctx) => {
    if (!local()) return ctx.skip("a real cluster runs scripts");
    const f = await failure(t.client.update({ index: t.name("proto"), id: "1", body: { script: { source: "ctx._source.n += 1" }, upsert: { n: 1 } } }));
    assert.equal(f.status, 400);
    assert.match(f.reason, /script.*not supported/);
  });
});
