// Contract: _bulk — mixed operations with per-item results, per-item
// conflicts (create, if_seq_no, external versions), per-item mapping errors,
// and whole-request rejection of malformed NDJSON (nothing applied).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { failure, startTarget, type Target } from "./target.ts";
import { bulkProjection } from "../src/rest/bulkProjection.ts";

let t: Target;
let index: string;
before(async () => {
  t = await startTarget();
  index = t.name("bulk");
  await t.client.indices.create({ index, body: { mappings: { properties: { symbol: { type: "keyword" }, n: { type: "long" } } } } });
});
after(async () => {
  await t.close();
});

type Item = Record<string, { _id: string; status: number; result?: string; _version?: number; _seq_no?: number; _primary_term?: number; error?: { type: string } }>;

function items(body: { items: unknown[] }): { op: string; r: Item[string] }[] {
  return (body.items as Item[]).map((it) => {
    const [op, r] = Object.entries(it)[0]!;
    return { op, r: r! };
  });
}

describe("bulk operations", () => {
  it("applies index, create, update (doc, doc_as_upsert, upsert) and delete with the real per-item shape", async () => {
    const res = await t.client.bulk({
      index,
      refresh: true,
      body: [
        { index: { _id: "1" } }, { symbol: "A", n: 1 },
        { create: { _id: "2" } }, { symbol: "B", n: 2 },
        { index: { _id: "1" } }, { symbol: "A", n: 10 },
        { update: { _id: "2" } }, { doc: { n: 20 } },
        { update: { _id: "3" } }, { doc: { symbol: "C", n: 3 }, doc_as_upsert: true },
        { update: { _id: "4" } }, { doc: { n: 0 }, upsert: { symbol: "D", n: 4 } },
        { delete: { _id: "1" } },
        { delete: { _id: "never" } },
      ],
    });
    assert.equal(res.body.errors, false);
    const got = items(res.body);
    assert.deepEqual(got.map((g) => g.op), ["index", "create", "index", "update", "update", "update", "delete", "delete"]);
    assert.deepEqual(got.map((g) => g.r.status), [201, 201, 200, 200, 201, 201, 200, 404]);
    assert.deepEqual(got.map((g) => g.r.result), ["created", "created", "updated", "updated", "created", "created", "deleted", "not_found"]);
    assert.deepEqual(got.map((g) => g.r._version), [1, 1, 2, 2, 1, 1, 3, 1]);
    // sequence numbers increase with every applied operation
    const seqs = got.map((g) => g.r._seq_no!);
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `seq_no ${seqs[i]} after ${seqs[i - 1]}`);
    for (const g of got) assert.equal(typeof g.r._primary_term, "number");
    const search = await t.client.search({ index, body: { query: { match_all: {} }, sort: [{ symbol: "asc" }] } });
    assert.deepEqual(search.body.hits.hits.map((h) => [h._id, (h._source as { n: number }).n]), [["2", 20], ["3", 3], ["4", 4]]);
  });

  it("reports conflicts per item (create on existing, stale if_seq_no, stale external version) without failing the others", async () => {
    const first = await t.client.index({ index, id: "occ", body: { n: 1 }, refresh: true });
    await t.client.index({ index, id: "ext", body: { n: 1 }, version: 10, version_type: "external" });
    const res = await t.client.bulk({
      index,
      body: [
        { create: { _id: "occ" } }, { n: 2 },
        { index: { _id: "occ", if_seq_no: first.body._seq_no, if_primary_term: first.body._primary_term } }, { n: 3 },
        { index: { _id: "occ", if_seq_no: first.body._seq_no, if_primary_term: first.body._primary_term } }, { n: 4 },
        { index: { _id: "ext", version: 9, version_type: "external" } }, { n: 9 },
        { index: { _id: "ext", version: 11, version_type: "external" } }, { n: 11 },
        { update: { _id: "occ", if_seq_no: 0, if_primary_term: 99 } }, { doc: { n: 5 } },
        { index: { _id: "fine" } }, { n: 6 },
      ],
    });
    assert.equal(res.body.errors, true);
    const got = items(res.body);
    assert.deepEqual(got.map((g) => g.r.status), [409, 200, 409, 409, 200, 409, 201]);
    for (const g of got.filter((x) => x.r.status === 409)) assert.equal(g.r.error!.type, "version_conflict_engine_exception");
    assert.equal(got[4]!.r._version, 11);
    assert.equal((await t.client.get({ index, id: "occ" })).body._source.n, 3);
    assert.equal((await t.client.get({ index, id: "ext" })).body._source.n, 11);
  });

  it("turns a bad document into a per-item 400 and a missing document update into a per-item 404", async () => {
    const res = await t.client.bulk({
      index,
      body: [
        { index: { _id: "ok1" } }, { n: 1 },
        { index: { _id: "bad1" } }, { n: "not a number" },
        { update: { _id: "ghost" } }, { doc: { n: 1 } },
        { index: { _id: "ok2" } }, { n: 2 },
      ],
    });
    const got = items(res.body);
    assert.equal(res.body.errors, true);
    assert.deepEqual(got.map((g) => g.r.status), [201, 400, 404, 201]);
    assert.equal(got[1]!.r.error!.type, "mapper_parsing_exception");
    assert.equal(got[2]!.r.error!.type, "document_missing_exception");
    assert.equal((await t.client.exists({ index, id: "bad1" })).body, false);
    assert.equal((await t.client.exists({ index, id: "ok2" })).body, true);
  });

  it("auto-creates indices named in action lines and deletes on a missing index fail per item", async () => {
    const other = t.name("bulk-auto");
    const res = await t.client.bulk({
      body: [
        { index: { _index: other, _id: "x" } }, { v: 1 },
        { delete: { _index: t.name("bulk-missing"), _id: "y" } },
      ],
    });
    const got = items(res.body);
    assert.equal(got[0]!.r.status, 201);
    assert.equal(got[1]!.r.status, 404);
    assert.equal(got[1]!.r.error!.type, "index_not_found_exception");
  });
});

describe("malformed bulk requests", () => {
  async function countAll(): Promise<number> {
    await t.client.indices.refresh({ index });
    return (await t.client.count({ index })).body.count;
  }

  it("rejects a malformed action line with 400 and applies nothing", async () => {
    const before = await countAll();
    const body = `{"index":{"_index":"${index}","_id":"m1"}}\n{"n":1}\n{"index": {"_id": "m2"\n{"n":2}\n`;
    const f = await failure(t.client.bulk({ body: body as never }));
    assert.equal(f.status, 400);
    assert.equal(await countAll(), before);
    assert.equal((await t.client.exists({ index, id: "m1" })).body, false);
  });

  it("rejects an unknown action with 400 and applies nothing", async () => {
    const before = await countAll();
    const body = `{"index":{"_index":"${index}","_id":"u1"}}\n{"n":1}\n{"upsert":{"_index":"${index}","_id":"u2"}}\n{"n":2}\n`;
    const f = await failure(t.client.bulk({ body: body as never }));
    assert.equal(f.status, 400);
    assert.equal(f.type, "illegal_argument_exception");
    assert.equal(await countAll(), before);
  });

  it("rejects a body that does not end with a newline", async () => {
    const f = await failure(t.client.transport.request({ method: "POST", path: "/_bulk", body: `{"index":{"_index":"${index}","_id":"nl"}}\n{"n":1}` }, { headers: { "content-type": "application/x-ndjson" } }));
    assert.equal(f.status, 400);
    assert.equal((await t.client.exists({ index, id: "nl" })).body, false);
  });

  it("rejects a broken update payload with 400 and applies nothing", async () => {
    const before = await countAll();
    const body = `{"index":{"_index":"${index}","_id":"p1"}}\n{"n":1}\n{"update":{"_index":"${index}","_id":"p1"}}\n{"doc": {"n": }\n`;
    const f = await failure(t.client.bulk({ body: body as never }));
    assert.equal(f.status, 400);
    assert.equal(await countAll(), before);
  });
});

describe("bulk helper", () => {
  it("indexes through client.helpers.bulk and surfaces failed items to onDrop", async () => {
    const target = t.name("helper");
    const docs = Array.from({ length: 250 }, (_, i) => ({ id: String(i), n: i % 7 === 0 ? "bad" : i }));
    const dropped: string[] = [];
    await t.client.indices.create({ index: target, body: { mappings: { properties: { n: { type: "long" } } } } });
    const stats = await t.client.helpers.bulk({
      datasource: docs,
      onDocument: (d) => ({ index: { _index: target, _id: d.id } }),
      onDrop: (d) => dropped.push((d.document as { id: string }).id),
      refreshOnCompletion: true,
    });
    const bad = docs.filter((d) => d.n === "bad").map((d) => d.id);
    assert.equal(stats.failed, bad.length);
    assert.deepEqual(dropped.sort(), bad.sort());
    assert.equal((await t.client.count({ index: target })).body.count, docs.length - bad.length);
  });
});

describe("bulk filter_path", () => {
  // The local endpoint answers the common `items.*.<field>` filters without the
  // generic filter; the same spec plus a `**` pattern that matches nothing takes
  // the generic one. Both must answer alike (and do, against a real cluster).
  const specs = [
    "items.*.status",
    "items.*.status,items.*.result,items.*._seq_no,items.*._primary_term,items.*._version,items.*.error",
    "errors,items.*.error",
    "took,errors",
    "errors",
    "items",
    "items.*",
    "errors,items.*._id,items.*.get",
    "items.*.forced_refresh,items.*._shards",
    "items.*.nothing",
    "nothing,errors",
  ];
  const ops = (n: number) => [
    { index: { _id: `a${n}` } }, { symbol: "A", n: 1 },
    { create: { _id: `a${n}` } }, { symbol: "A", n: 2 },
    { update: { _id: `a${n}`, _source: true } }, { doc: { n: 3 } },
    { update: { _id: `missing${n}` } }, { doc: { n: 4 } },
    { index: { _id: `bad${n}` } }, { n: "not a number" },
    { delete: { _id: `a${n}` } },
    { delete: { _id: `never${n}` } },
  ];
  const send = async (idx: string, spec: string, refresh: boolean, n: number) => {
    const res = await t.client.transport.request({
      method: "POST", path: `/${idx}/_bulk`, querystring: { filter_path: spec, ...(refresh ? { refresh: "true" } : {}) },
      body: ops(n).map((l) => JSON.stringify(l)).join("\n") + "\n",
    }, { headers: { "content-type": "application/x-ndjson" } });
    return JSON.stringify(res.body).replaceAll(idx, "<index>").replace(/"took":\d+/, '"took":0').replace(/"index_uuid":"[^"]*"/g, '"index_uuid":"<uuid>"');
  };

  it("answers each spec as the generic filter does, with and without refresh", async () => {
    let n = 0;
    for (const spec of specs) {
      for (const refresh of [false, true]) {
        const [fast, generic] = [t.name(`fp-fast-${n}`), t.name(`fp-generic-${n}`)];
        for (const idx of [fast, generic]) await t.client.indices.create({ index: idx, body: { mappings: { properties: { symbol: { type: "keyword" }, n: { type: "long" } } } } });
        const a = await send(fast, spec, refresh, n);
        const b = await send(generic, `${spec},**.zz_no_such_field`, refresh, n);
        assert.equal(a, b, `filter_path=${spec} refresh=${refresh}`);
        n++;
      }
    }
  });

  it("takes the fast path only for the forms it answers", () => {
    for (const spec of specs) assert.notEqual(bulkProjection(spec, false), null, spec);
    for (const spec of ["items.*.error.reason", "items.create.status", "**.status", "-items.*._shards", "items.*.st*", "items.*.*", "took.x"]) assert.equal(bulkProjection(spec, false), null, spec);
    assert.equal(bulkProjection("items.*.status", true), null, "pretty output goes through the generic filter");
  });
});
