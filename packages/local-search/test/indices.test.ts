// Contract: cluster info/health, index lifecycle, mappings (explicit and
// dynamic), settings, refresh semantics and composable index templates.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { failure, startTarget, type Target } from "./target.ts";

let t: Target;
before(async () => {
  t = await startTarget();
});
after(async () => {
  await t.close();
});

describe("cluster", () => {
  it("GET / reports an OpenSearch distribution and version", async () => {
    const { body } = await t.client.info();
    assert.equal(body.version.distribution, "opensearch");
    assert.match(body.version.number, /^\d+\.\d+\.\d+/);
  });

  it("GET /_cluster/health answers with a usable status", async () => {
    const { body } = await t.client.cluster.health();
    assert.ok(["green", "yellow"].includes(body.status));
    assert.ok(body.number_of_nodes >= 1);
  });
});

describe("index lifecycle", () => {
  it("creates an index with mappings and settings, reports existence, and returns the mapping", async () => {
    const index = t.name("life");
    const created = await t.client.indices.create({
      index,
      body: {
        settings: { number_of_shards: 1, number_of_replicas: 0 },
        mappings: { properties: { symbol: { type: "keyword" }, price: { type: "double" }, at: { type: "date" }, title: { type: "text" } } },
      },
    });
    assert.equal(created.body.acknowledged, true);
    assert.equal(created.body.index, index);
    assert.equal((await t.client.indices.exists({ index })).body, true);
    assert.equal((await t.client.indices.exists({ index: t.name("absent") })).body, false);
    const mapping = (await t.client.indices.getMapping({ index })).body[index]!.mappings.properties!;
    assert.deepEqual(
      Object.fromEntries(Object.entries(mapping).map(([k, v]) => [k, (v as { type: string }).type])),
      { at: "date", price: "double", symbol: "keyword", title: "text" },
    );
    const settings = (await t.client.indices.getSettings({ index })).body[index]!.settings!.index!;
    assert.equal(String(settings.number_of_replicas), "0");
  });

  it("lists indices with document counts in _cat/indices?format=json", async () => {
    const index = t.name("cat");
    await t.client.index({ index, id: "1", body: { v: 1 } });
    await t.client.index({ index, id: "2", body: { v: 2 }, refresh: true });
    const r = await t.client.cat.indices({ index, format: "json" });
    const rows = r.body as unknown as { index: string; "docs.count": string }[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.index, index);
    assert.equal(rows[0]!["docs.count"], "2");
  });

  it("refuses to create an existing index (400 resource_already_exists_exception)", async () => {
    const index = t.name("dup");
    await t.client.indices.create({ index });
    const f = await failure(t.client.indices.create({ index }));
    assert.equal(f.status, 400);
    assert.equal(f.type, "resource_already_exists_exception");
  });

  it("rejects invalid index names", async () => {
    const f = await failure(t.client.indices.create({ index: t.name("UPPER") }));
    assert.equal(f.status, 400);
    assert.equal(f.type, "invalid_index_name_exception");
  });

  it("deletes single indices, comma lists and wildcard patterns; a missing index is a 404", async () => {
    const names = ["del-a", "del-b", "del-c", "del-d"].map((n) => t.name(n));
    for (const index of names) await t.client.indices.create({ index });
    await t.client.indices.delete({ index: names[0]! });
    await t.client.indices.delete({ index: [names[1]!, names[2]!] });
    assert.equal((await t.client.indices.exists({ index: names[1]! })).body, false);
    await t.client.indices.delete({ index: t.name("del-*") });
    for (const index of names) assert.equal((await t.client.indices.exists({ index })).body, false);
    const f = await failure(t.client.indices.delete({ index: t.name("del-a") }));
    assert.equal(f.status, 404);
    assert.equal(f.type, "index_not_found_exception");
  });

  it("put mapping adds fields and refuses to change a field's type", async () => {
    const index = t.name("putmap");
    await t.client.indices.create({ index, body: { mappings: { properties: { a: { type: "long" } } } } });
    await t.client.indices.putMapping({ index, body: { properties: { b: { type: "keyword" } } } });
    const props = (await t.client.indices.getMapping({ index })).body[index]!.mappings.properties!;
    assert.deepEqual(Object.keys(props).sort(), ["a", "b"]);
    const f = await failure(t.client.indices.putMapping({ index, body: { properties: { a: { type: "text" } } } }));
    assert.equal(f.status, 400);
    assert.equal(f.type, "illegal_argument_exception");
  });
});

describe("dynamic mapping", () => {
  it("maps unmapped fields like OpenSearch: long, float, date, boolean, text+keyword, object", async () => {
    const index = t.name("dyn");
    await t.client.index({
      index,
      id: "1",
      body: { count: 3, ratio: 0.5, at: "2024-03-01T10:00:00Z", ok: true, title: "Hello world", meta: { source: "x" } },
      refresh: true,
    });
    const props = (await t.client.indices.getMapping({ index })).body[index]!.mappings.properties as Record<string, Record<string, unknown>>;
    assert.equal(props.count!.type, "long");
    assert.equal(props.ratio!.type, "float");
    assert.equal(props.at!.type, "date");
    assert.equal(props.ok!.type, "boolean");
    assert.equal(props.title!.type, "text");
    assert.equal((props.title!.fields as Record<string, { type: string }>).keyword!.type, "keyword");
    assert.equal(((props.meta!.properties as Record<string, { type: string }>).source!).type, "text");
    // the keyword sub-field is searchable exactly
    const r = await t.client.search({ index, body: { query: { term: { "title.keyword": "Hello world" } } } });
    assert.equal(r.body.hits.hits.length, 1);
  });

  it("rejects unknown fields under dynamic: strict", async () => {
    const index = t.name("strict");
    await t.client.indices.create({ index, body: { mappings: { dynamic: "strict", properties: { a: { type: "long" } } } } });
    const f = await failure(t.client.index({ index, id: "1", body: { a: 1, b: 2 } }));
    assert.equal(f.status, 400);
    assert.equal(f.type, "strict_dynamic_mapping_exception");
  });
});

describe("refresh", () => {
  it("makes writes searchable on refresh (refresh_interval -1 means never on its own)", async () => {
    const index = t.name("nrt");
    await t.client.indices.create({ index, body: { settings: { refresh_interval: "-1" } } });
    await t.client.index({ index, id: "1", body: { v: 1 } });
    assert.equal((await t.client.count({ index })).body.count, 0);
    // a real-time GET sees it before any refresh
    assert.equal((await t.client.get({ index, id: "1" })).body.found, true);
    await t.client.indices.refresh({ index });
    assert.equal((await t.client.count({ index })).body.count, 1);
    await t.client.index({ index, id: "2", body: { v: 2 }, refresh: "wait_for" });
    assert.equal((await t.client.count({ index })).body.count, 2);
    await t.client.delete({ index, id: "1", refresh: true });
    assert.equal((await t.client.count({ index })).body.count, 1);
  });
});

describe("index templates", () => {
  it("stores, lists and deletes composable templates", async () => {
    const name = t.name("tpl-basic");
    await t.client.indices.putIndexTemplate({
      name,
      body: { index_patterns: [t.name("tb-*")], priority: 5, template: { settings: { number_of_replicas: 0 }, mappings: { properties: { s: { type: "keyword" } } } } },
    });
    const got = (await t.client.indices.getIndexTemplate({ name })).body.index_templates;
    assert.equal(got.length, 1);
    assert.deepEqual(got[0]!.index_template.index_patterns, [t.name("tb-*")]);
    assert.equal(got[0]!.index_template.priority, 5);
    assert.equal((await t.client.indices.existsIndexTemplate({ name })).body, true);
    await t.client.indices.deleteIndexTemplate({ name });
    assert.equal((await t.client.indices.existsIndexTemplate({ name })).body, false);
    const f = await failure(t.client.indices.getIndexTemplate({ name }));
    assert.equal(f.status, 404);
  });

  it("applies the highest-priority matching template to auto-created and explicitly created indices", async () => {
    await t.client.indices.putIndexTemplate({
      name: t.name("tpl-low"),
      body: { index_patterns: [t.name("candles-*")], priority: 1, template: { mappings: { properties: { symbol: { type: "text" } } } } },
    });
    await t.client.indices.putIndexTemplate({
      name: t.name("tpl-high"),
      body: {
        index_patterns: [t.name("candles-*")],
        priority: 10,
        template: { settings: { number_of_replicas: 0 }, mappings: { properties: { symbol: { type: "keyword" }, close: { type: "double" } } } },
      },
    });
    const auto = t.name("candles-1m");
    await t.client.index({ index: auto, id: "x", body: { symbol: "BTCUSDT", close: 1, extra: 5 }, refresh: true });
    const props = (await t.client.indices.getMapping({ index: auto })).body[auto]!.mappings.properties as Record<string, { type: string }>;
    assert.equal(props.symbol!.type, "keyword");
    assert.equal(props.close!.type, "double");
    assert.equal(props.extra!.type, "long");
    const explicit = t.name("candles-5m");
    await t.client.indices.create({ index: explicit, body: { mappings: { properties: { volume: { type: "double" } } } } });
    const p2 = (await t.client.indices.getMapping({ index: explicit })).body[explicit]!.mappings.properties as Record<string, { type: string }>;
    assert.equal(p2.symbol!.type, "keyword");
    assert.equal(p2.volume!.type, "double");
    const s = (await t.client.indices.getSettings({ index: explicit })).body[explicit]!.settings!.index!;
    assert.equal(String(s.number_of_replicas), "0");
  });

  it("refuses two templates with the same priority and overlapping patterns", async () => {
    await t.client.indices.putIndexTemplate({ name: t.name("tpl-a"), body: { index_patterns: [t.name("ov-*")], priority: 3 } });
    const f = await failure(t.client.indices.putIndexTemplate({ name: t.name("tpl-b"), body: { index_patterns: [t.name("ov-*")], priority: 3 } }));
    assert.equal(f.status, 400);
    assert.equal(f.type, "illegal_argument_exception");
  });
});

describe("force merge", () => {
  it("expunges deleted documents and keeps every live one", async () => {
    const index = t.name("merge");
    await t.client.indices.create({ index, body: { mappings: { properties: { n: { type: "long" } } } } });
    const body = Array.from({ length: 200 }, (_, i) => [{ index: { _index: index, _id: String(i) } }, { n: i }]).flat();
    await t.client.bulk({ body: body as never, refresh: true });
    await t.client.deleteByQuery({ index, refresh: true, body: { query: { range: { n: { lt: 120 } } } } });
    const merged = await t.client.indices.forcemerge({ index, only_expunge_deletes: true });
    assert.equal((merged.body as { _shards: { failed: number } })._shards.failed, 0);
    await t.client.indices.refresh({ index });
    const { body: rows } = await t.client.cat.indices({ index, format: "json" });
    const [row] = rows as unknown as Array<Record<string, string>>;
    assert.equal(row!["docs.count"], "80");
    assert.equal(row!["docs.deleted"], "0");
    const sum = await t.client.search({ index, body: { size: 0, aggs: { s: { sum: { field: "n" } } } } });
    assert.equal((sum.body.aggregations as { s: { value: number } }).s.value, Array.from({ length: 80 }, (_, i) => 120 + i).reduce((a, b) => a + b, 0));
  });
});
