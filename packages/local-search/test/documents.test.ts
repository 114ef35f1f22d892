// Contract: single-document APIs — index/create/get/exists/delete/update,
// optimistic concurrency (if_seq_no/if_primary_term), external versions,
// mapping errors, _source filtering and _mget.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { failure, startTarget, type Target } from "./target.ts";

let t: Target;
let index: string;
before(async () => {
  t = await startTarget();
  index = t.name("docs");
  await t.client.indices.create({
    index,
    body: { mappings: { properties: { symbol: { type: "keyword" }, price: { type: "double" }, qty: { type: "long" }, at: { type: "date" }, meta: { properties: { src: { type: "keyword" }, n: { type: "long" } } } } } },
  });
});
after(async () => {
  await t.close();
});

describe("index, get, exists, delete", () => {
  it("indexes a document, reads it back with seq_no/primary_term, and deletes it", async () => {
    const doc = { symbol: "BTCUSDT", price: 42000.5, qty: 3, at: "2024-05-01T00:00:00Z" };
    const created = await t.client.index({ index, id: "a1", body: doc });
    assert.equal(created.statusCode, 201);
    assert.equal(created.body.result, "created");
    assert.equal(created.body._version, 1);
    const got = await t.client.get({ index, id: "a1" });
    assert.equal(got.body.found, true);
    assert.deepEqual(got.body._source, doc);
    assert.equal(got.body._seq_no, created.body._seq_no);
    assert.equal(got.body._primary_term, created.body._primary_term);
    assert.equal((await t.client.exists({ index, id: "a1" })).body, true);

    const updated = await t.client.index({ index, id: "a1", body: { ...doc, qty: 4 } });
    assert.equal(updated.statusCode, 200);
    assert.equal(updated.body.result, "updated");
    assert.equal(updated.body._version, 2);
    assert.ok(updated.body._seq_no > created.body._seq_no);

    const del = await t.client.delete({ index, id: "a1" });
    assert.equal(del.body.result, "deleted");
    assert.equal(del.body._version, 3);
    assert.equal((await t.client.exists({ index, id: "a1" })).body, false);
    const missing = await t.client.get({ index, id: "a1" }, { ignore: [404] });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.body.found, false);
    const delAgain = await t.client.delete({ index, id: "a1" }, { ignore: [404] });
    assert.equal(delAgain.statusCode, 404);
    assert.equal(delAgain.body.result, "not_found");
  });

  it("POST without an id generates one", async () => {
    const r = await t.client.index({ index, body: { symbol: "AUTO" } });
    assert.equal(r.body.result, "created");
    assert.ok(typeof r.body._id === "string" && r.body._id.length > 0);
    assert.equal((await t.client.get({ index, id: r.body._id })).body._source.symbol, "AUTO");
  });

  it("_create and op_type=create refuse an existing id with 409", async () => {
    await t.client.create({ index, id: "c1", body: { symbol: "X" } });
    const f = await failure(t.client.create({ index, id: "c1", body: { symbol: "Y" } }));
    assert.equal(f.status, 409);
    assert.equal(f.type, "version_conflict_engine_exception");
    const g = await failure(t.client.index({ index, id: "c1", op_type: "create", body: { symbol: "Z" } }));
    assert.equal(g.status, 409);
    assert.equal((await t.client.get({ index, id: "c1" })).body._source.symbol, "X");
  });

  it("GET on a missing index is a 404 index_not_found_exception", async () => {
    const f = await failure(t.client.get({ index: t.name("nope"), id: "1" }));
    assert.equal(f.status, 404);
    assert.equal(f.type, "index_not_found_exception");
  });

  it("filters _source on GET", async () => {
    await t.client.index({ index, id: "s1", body: { symbol: "S", price: 1, meta: { src: "a", n: 2 } } });
    const inc = await t.client.get({ index, id: "s1", _source_includes: "meta.*" });
    assert.deepEqual(inc.body._source, { meta: { src: "a", n: 2 } });
    const exc = await t.client.get({ index, id: "s1", _source_excludes: "meta" });
    assert.deepEqual(exc.body._source, { symbol: "S", price: 1 });
    const none = await t.client.get({ index, id: "s1", _source: false });
    assert.equal(none.body._source, undefined);
  });
});

describe("optimistic concurrency", () => {
  it("if_seq_no/if_primary_term succeeds on the current revision and conflicts on a stale one", async () => {
    const first = await t.client.index({ index, id: "o1", body: { qty: 1 } });
    const second = await t.client.index({ index, id: "o1", body: { qty: 2 }, if_seq_no: first.body._seq_no, if_primary_term: first.body._primary_term });
    assert.equal(second.body._version, 2);
    const f = await failure(t.client.index({ index, id: "o1", body: { qty: 3 }, if_seq_no: first.body._seq_no, if_primary_term: first.body._primary_term }));
    assert.equal(f.status, 409);
    assert.equal(f.type, "version_conflict_engine_exception");
    const u = await failure(t.client.update({ index, id: "o1", if_seq_no: first.body._seq_no, if_primary_term: first.body._primary_term, body: { doc: { qty: 9 } } }));
    assert.equal(u.status, 409);
    assert.equal((await t.client.get({ index, id: "o1" })).body._source.qty, 2);
  });

  it("external versions: only a higher version wins (external_gte also accepts equal)", async () => {
    const v5 = await t.client.index({ index, id: "e1", version: 5, version_type: "external", body: { price: 5 } });
    assert.equal(v5.body._version, 5);
    const stale = await failure(t.client.index({ index, id: "e1", version: 4, version_type: "external", body: { price: 4 } }));
    assert.equal(stale.status, 409);
    const same = await failure(t.client.index({ index, id: "e1", version: 5, version_type: "external", body: { price: 55 } }));
    assert.equal(same.status, 409);
    const gte = await t.client.index({ index, id: "e1", version: 5, version_type: "external_gte", body: { price: 56 } });
    assert.equal(gte.body._version, 5);
    const newer = await t.client.index({ index, id: "e1", version: 9, version_type: "external", body: { price: 9 } });
    assert.equal(newer.body._version, 9);
    assert.equal((await t.client.get({ index, id: "e1" })).body._source.price, 9);
    // a delete with an external version leaves a tombstone that still guards against older writes
    await t.client.delete({ index, id: "e1", version: 10, version_type: "external" });
    const old = await failure(t.client.index({ index, id: "e1", version: 8, version_type: "external", body: { price: 8 } }));
    assert.equal(old.status, 409);
  });
});

describe("update", () => {
  it("merges a partial doc, detects noops, and reports document_missing_exception", async () => {
    await t.client.index({ index, id: "u1", body: { symbol: "U", qty: 1, meta: { src: "a", n: 1 } } });
    const r = await t.client.update({ index, id: "u1", body: { doc: { qty: 2, meta: { n: 5 } } } });
    assert.equal(r.body.result, "updated");
    assert.equal(r.body._version, 2);
    assert.deepEqual((await t.client.get({ index, id: "u1" })).body._source, { symbol: "U", qty: 2, meta: { src: "a", n: 5 } });
    const noop = await t.client.update({ index, id: "u1", body: { doc: { qty: 2 } } });
    assert.equal(noop.body.result, "noop");
    assert.equal(noop.body._version, 2);
    const f = await failure(t.client.update({ index, id: "nobody", body: { doc: { qty: 1 } } }));
    assert.equal(f.status, 404);
    assert.equal(f.type, "document_missing_exception");
  });

  it("upserts with doc_as_upsert and with an upsert document", async () => {
    const a = await t.client.update({ index, id: "up1", body: { doc: { qty: 7 }, doc_as_upsert: true } });
    assert.equal(a.statusCode, 201);
    assert.equal(a.body.result, "created");
    assert.deepEqual((await t.client.get({ index, id: "up1" })).body._source, { qty: 7 });
    await t.client.update({ index, id: "up2", body: { doc: { qty: 1 }, upsert: { qty: 100, symbol: "NEW" } } });
    assert.deepEqual((await t.client.get({ index, id: "up2" })).body._source, { qty: 100, symbol: "NEW" });
    await t.client.update({ index, id: "up2", body: { doc: { qty: 1 }, upsert: { qty: 100 } } });
    assert.equal((await t.client.get({ index, id: "up2" })).body._source.qty, 1);
  });
});

describe("update returning the document", () => {
  it("answers the updated _source in get when asked, directly and in bulk", async () => {
    await t.client.index({ index, id: "g1", body: { symbol: "G", qty: 1, meta: { src: "x", n: 1 } } });
    const r = await t.client.update({ index, id: "g1", _source: true, body: { doc: { qty: 2 } } });
    const get = (r.body as { get?: { found: boolean; _source: Record<string, unknown>; _seq_no: number } }).get!;
    assert.equal(get.found, true);
    assert.deepEqual(get._source, { symbol: "G", qty: 2, meta: { src: "x", n: 1 } });
    assert.equal(get._seq_no, r.body._seq_no);
    const b = await t.client.bulk({ index, body: [{ update: { _id: "g1" } }, { doc: { qty: 3 }, _source: ["qty"] }] });
    const item = (b.body.items[0] as Record<string, { get?: { _source: unknown } }>).update!;
    assert.deepEqual(item.get!._source, { qty: 3 });
  });
});

describe("mapping errors", () => {
  it("rejects values of the wrong type with mapper_parsing_exception (400) and stores nothing", async () => {
    for (const body of [{ qty: "many" }, { at: "not a date" }, { price: { nested: 1 } }, { meta: "flat" }]) {
      const f = await failure(t.client.index({ index, id: "bad", body }));
      assert.equal(f.status, 400, JSON.stringify(body));
      assert.equal(f.type, "mapper_parsing_exception", JSON.stringify(body));
    }
    assert.equal((await t.client.exists({ index, id: "bad" })).body, false);
  });

  it("coerces numeric strings like OpenSearch", async () => {
    await t.client.index({ index, id: "coerce", body: { qty: "12", price: "1.5" }, refresh: true });
    const r = await t.client.search({ index, body: { query: { bool: { filter: [{ term: { qty: 12 } }, { range: { price: { gte: 1.5, lte: 1.5 } } }] } } } });
    assert.deepEqual(r.body.hits.hits.map((h) => h._id), ["coerce"]);
  });
});

describe("mget", () => {
  it("returns found and missing documents in order", async () => {
    await t.client.index({ index, id: "m1", body: { symbol: "M1" } });
    await t.client.index({ index, id: "m2", body: { symbol: "M2" } });
    const r = await t.client.mget({ index, body: { ids: ["m2", "missing", "m1"] } });
    const docs = r.body.docs as { _id: string; found: boolean; _source?: { symbol: string } }[];
    assert.deepEqual(docs.map((d) => [d._id, d.found, d._source?.symbol]), [["m2", true, "M2"], ["missing", false, undefined], ["m1", true, "M1"]]);
  });
});
