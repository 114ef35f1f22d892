// The local OpenSearch-compatible endpoint's request parsers, over HTTP:
// _search/_count/_msearch bodies (queries and aggregations of any shape) and
// _bulk NDJSON. Never a 5xx; a 4xx is OpenSearch's error envelope with a type
// and a reason; a bulk request refused as a whole changes no index.
import { request } from "node:http";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { startSearchServer, type SearchServer } from "@cryptoviz/local-search";
import { deeplyNested, hostileJson, hostileText, instantLike, malformedJson } from "../arbitraries.ts";
import type { Boundary, RunningBoundary } from "../harness.ts";

interface HttpInput {
  method: string;
  path: string;
  body: string;
  gzip: boolean;
  ndjson?: boolean;
}

interface Answer {
  status: number;
  text: string;
}

function send(server: SearchServer, input: HttpInput): Promise<Answer> {
  const body = input.gzip ? gzipSync(input.body) : Buffer.from(input.body);
  // Content-Length always: Node's client sends a GET body unframed otherwise (neither length nor chunks).
  const headers: Record<string, string> = { "content-type": input.ndjson ? "application/x-ndjson" : "application/json", "content-length": String(body.length) };
  if (input.gzip) headers["content-encoding"] = "gzip";
  return new Promise((resolve, reject) => {
    const req = request(new URL(input.path, server.url), { method: input.method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString() }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** No 5xx; a 4xx is `{error: {type, reason}, status}`. */
function judged(answer: Answer, what: string): "accepted" | "refused" {
  if (answer.status >= 500) throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 500)}`);
  if (answer.status < 400) return "accepted";
  const error = (JSON.parse(answer.text) as { error?: { type?: unknown; reason?: unknown } }).error;
  if (typeof error?.type !== "string" || typeof error.reason !== "string" || error.reason === "") throw new Error(`${what}: ${answer.status} without a type and a reason: ${answer.text.slice(0, 300)}`);
  return "refused";
}

const FIELDS = ["s", "n", "d", "t", "body", "body.keyword", "tags", "missing", "*", "", "s.x"];
const field = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: hostileText({ maxLength: 12 }) });
const scalar = fc.oneof(fc.constantFrom("a", "b", "BTC", "bitcoin etf", "now-1h/h", "now/d", "2026-11-22||+1M/d", "", "*"), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), instantLike, hostileText({ maxLength: 20 }));

const { query } = fc.letrec<{ query: unknown; clauses: unknown }>((tie) => ({
  clauses: fc.oneof(tie("query"), fc.array(tie("query"), { maxLength: 3 })),
  query: fc.oneof(
    { depthSize: "small", maxDepth: 5 },
    fc.constant({ match_all: {} }),
    fc.constant({ match_none: {} }),
    fc.record({ term: fc.dictionary(field, fc.oneof(scalar, fc.record({ value: scalar, boost: fc.double(), case_insensitive: fc.boolean() }, { requiredKeys: [] })), { minKeys: 1, maxKeys: 2 }) }),
    fc.record({ terms: fc.dictionary(field, fc.array(scalar, { maxLength: 4 }), { minKeys: 1, maxKeys: 1 }) }),
    fc.record({ range: fc.dictionary(field, fc.record({ gt: scalar, gte: scalar, lt: scalar, lte: scalar, format: fc.constantFrom("epoch_millis", "yyyy-MM-dd", "nope"), time_zone: fc.constantFrom("+01:00", "Europe/Paris", "Mars/Base") }, { requiredKeys: [] }), { minKeys: 1, maxKeys: 1 }) }),
    fc.record({ match: fc.dictionary(field, fc.oneof(scalar, fc.record({ query: scalar, operator: fc.constantFrom("and", "or", "xor"), minimum_should_match: fc.constantFrom("75%", "-1", 2, "x"), zero_terms_query: fc.constantFrom("all", "none") }, { requiredKeys: ["query"] })), { minKeys: 1, maxKeys: 1 }) }),
    fc.record({ match_phrase: fc.dictionary(field, scalar, { minKeys: 1, maxKeys: 1 }) }),
    fc.record({ multi_match: fc.record({ query: scalar, fields: fc.array(field, { maxLength: 3 }), type: fc.constantFrom("best_fields", "most_fields", "phrase", "cross_fields") }, { requiredKeys: ["query"] }) }),
    fc.record({ exists: fc.record({ field }) }),
    fc.record({ ids: fc.record({ values: fc.array(scalar, { maxLength: 3 }) }) }),
    fc.record({ prefix: fc.dictionary(field, scalar, { minKeys: 1, maxKeys: 1 }) }),
    fc.record({ constant_score: fc.record({ filter: tie("query"), boost: fc.double() }, { requiredKeys: ["filter"] }) }),
    fc.record({ bool: fc.record({ must: tie("clauses"), filter: tie("clauses"), should: tie("clauses"), must_not: tie("clauses"), minimum_should_match: fc.constantFrom(1, "50%", -1, "x") }, { requiredKeys: [] }) }),
    fc.dictionary(hostileText({ maxLength: 10 }), hostileJson({ maxDepth: 2 }), { minKeys: 1, maxKeys: 1 }),
  ),
}));

const { aggs } = fc.letrec<{ aggs: unknown; agg: unknown }>((tie) => ({
  aggs: fc.dictionary(fc.oneof(fc.constantFrom("a", "by_s", "per_hour", "m"), hostileText({ maxLength: 8 })), tie("agg"), { maxKeys: 2 }),
  agg: fc
    .tuple(
      fc.oneof(
        fc.record({ terms: fc.record({ field, size: fc.integer({ min: -1, max: 70_000 }), order: fc.constantFrom({ _count: "desc" }, { _key: "asc" }, { "m.value": "desc" }, { nope: "x" }), min_doc_count: fc.integer({ min: -1, max: 3 }), missing: scalar }, { requiredKeys: ["field"] }) }),
        fc.record({ date_histogram: fc.record({ field, fixed_interval: fc.constantFrom("1m", "1h", "0s", "1x", "1ms"), calendar_interval: fc.constantFrom("hour", "week", "month", "decade"), time_zone: fc.constantFrom("+02:00", "Europe/Paris", "x"), min_doc_count: fc.integer({ min: 0, max: 2 }), extended_bounds: fc.record({ min: scalar, max: scalar }), format: fc.constantFrom("yyyy-MM-dd", "epoch_millis") }, { requiredKeys: ["field"] }) }),
        fc.record({ histogram: fc.record({ field, interval: fc.oneof(fc.double(), fc.integer()) }, { requiredKeys: ["field"] }) }),
        fc.record({ range: fc.record({ field, ranges: fc.array(fc.record({ from: scalar, to: scalar, key: scalar }, { requiredKeys: [] }), { maxLength: 3 }) }) }),
        fc.record({ filter: query }),
        fc.record({ filters: fc.record({ filters: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), query, { maxKeys: 2 }), fc.array(query, { maxLength: 2 })), other_bucket: fc.boolean() }, { requiredKeys: ["filters"] }) }),
        fc.record({ missing: fc.record({ field }) }),
        fc.constantFrom("min", "max", "sum", "avg", "stats", "value_count", "cardinality", "percentiles").chain((type) => fc.record({ [type]: fc.record({ field, missing: scalar }, { requiredKeys: ["field"] }) })),
        fc.record({ top_hits: fc.record({ size: fc.integer({ min: -1, max: 200 }), from: fc.integer({ min: -1, max: 10 }), sort: fc.array(fc.dictionary(field, fc.constantFrom("asc", "desc", "up"), { maxKeys: 1 }), { maxLength: 2 }), _source: fc.oneof(fc.boolean(), fc.array(field, { maxLength: 2 })) }, { requiredKeys: [] }) }),
        hostileJson({ maxDepth: 2 }),
      ),
      fc.option(tie("aggs"), { freq: 3 }),
      fc.option(hostileJson({ maxDepth: 1 }), { freq: 6 }),
    )
    .map(([agg, sub, meta]) => ({ ...(agg as object), ...(sub ? { aggs: sub } : {}), ...(meta ? { meta } : {}) })),
}));

// What a client that knows the mapping sends: fields that exist, values of their type.
const { goodQuery } = fc.letrec<{ goodQuery: unknown }>((tie) => ({
  goodQuery: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    fc.constant({ match_all: {} }),
    fc.constantFrom("a", "b", "c").map((v) => ({ term: { s: v } })),
    fc.constant({ terms: { s: ["a", "b"] } }),
    fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })).map(([a, b]) => ({ range: { n: { gte: Math.min(a, b), lt: Math.max(a, b) } } })),
    fc.constantFrom("now-30d", "2026-11-21", "now-1h/h").map((from) => ({ range: { t: { gte: from, lt: "now" } } })),
    fc.constantFrom("bitcoin", "etf news", "ether").map((q) => ({ match: { body: q } })),
    fc.constant({ exists: { field: "tags" } }),
    fc.constant({ ids: { values: ["1", "2", "29"] } }),
    fc.record({ bool: fc.record({ must: fc.array(tie("goodQuery"), { maxLength: 2 }), filter: fc.array(tie("goodQuery"), { maxLength: 2 }), should: fc.array(tie("goodQuery"), { maxLength: 2 }), must_not: fc.array(tie("goodQuery"), { maxLength: 1 }) }, { requiredKeys: [] }) }),
  ),
}));

const { goodAggs } = fc.letrec<{ goodAggs: unknown; goodAgg: unknown }>((tie) => ({
  goodAggs: fc.dictionary(fc.constantFrom("a", "b", "by_s", "per_hour"), tie("goodAgg"), { minKeys: 1, maxKeys: 2 }),
  goodAgg: fc
    .tuple(
      fc.oneof(
        fc.integer({ min: 1, max: 10 }).map((size) => ({ terms: { field: "s", size } })),
        fc.constantFrom("1h", "1d", "30m").map((interval) => ({ date_histogram: { field: "t", fixed_interval: interval } })),
        fc.constant({ date_histogram: { field: "t", calendar_interval: "day", time_zone: "Europe/Paris" } }),
        fc.constant({ histogram: { field: "n", interval: 5 } }),
        fc.constantFrom("min", "max", "sum", "avg", "stats", "value_count", "cardinality").chain((type) => fc.constantFrom("n", "d").map((field) => ({ [type]: { field } }))),
        fc.integer({ min: 1, max: 3 }).map((size) => ({ top_hits: { size, sort: [{ n: "desc" }] } })),
        goodQuery.map((q) => ({ filter: q })),
      ),
      fc.option(tie("goodAggs"), { freq: 3 }),
    )
    .map(([agg, sub]) => ({ ...(agg as object), ...(sub && !("top_hits" in (agg as object)) && !Object.keys(agg as object).some((k) => ["min", "max", "sum", "avg", "stats", "value_count", "cardinality"].includes(k)) ? { aggs: sub } : {}) })),
}));

const goodSearchBody = fc.record({ query: goodQuery, aggs: goodAggs, size: fc.integer({ min: 0, max: 50 }), sort: fc.constantFrom([{ n: "asc" }], [{ t: "desc" }], ["_score"], [{ s: { order: "asc", missing: "_last" } }]), track_total_hits: fc.boolean() }, { requiredKeys: [] });

// Nesting the parsers recurse over, from well under to far past opensearch.xcontent.depth.max.
const depth = fc.integer({ min: 10, max: 6000 });
const deepShapes = fc.oneof(
  // Built as text: JSON.stringify itself recurses, and would overflow first.
  depth.map((n) => '{"query":' + '{"bool":{"must":['.repeat(n) + '{"match_all":{}}' + "]}}".repeat(n) + "}"),
  depth.map((n) => '{"size":0,"aggs":' + '{"a":{"terms":{"field":"s"},"aggs":'.repeat(n) + '{"m":{"max":{"field":"n"}}}' + "}}".repeat(n) + "}"),
  depth.map((n) => '{"query":' + '{"constant_score":{"filter":'.repeat(n) + '{"match_all":{}}' + "}}".repeat(n) + "}"),
);
const deepDocument = depth.map((n) => '{"d":'.repeat(n) + "1" + "}".repeat(n));

const searchBody = fc.record(
  {
    query, aggs, post_filter: query,
    size: fc.integer({ min: -1, max: 20_000 }), from: fc.integer({ min: -1, max: 20_000 }),
    sort: fc.array(fc.oneof(field, fc.dictionary(field, fc.oneof(fc.constantFrom("asc", "desc"), fc.record({ order: fc.constantFrom("asc", "desc", "x"), missing: fc.constantFrom("_first", "_last", 0), unmapped_type: fc.constantFrom("long", "keyword", "nope") }, { requiredKeys: [] })), { maxKeys: 1 })), { maxLength: 2 }),
    _source: fc.oneof(fc.boolean(), field, fc.array(field, { maxLength: 2 }), fc.record({ includes: fc.array(field), excludes: fc.array(field) }, { requiredKeys: [] })),
    track_total_hits: fc.oneof(fc.boolean(), fc.integer({ min: -1, max: 20_000 })),
    search_after: fc.array(scalar, { maxLength: 2 }),
    min_score: fc.double(),
    highlight: fc.constant({ fields: { body: {} } }),
    unknown_key: hostileJson({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

const searchParams = fc.dictionary(fc.constantFrom("size", "from", "sort", "track_total_hits", "filter_path", "rest_total_hits_as_int", "_source", "pretty", "q", "typed_keys", "nope"), fc.oneof(fc.constantFrom("1", "0", "-1", "s:desc", "true", "hits.hits._id", "", "x"), hostileText({ maxLength: 12 })), { maxKeys: 2 });

const searchRequest: fc.Arbitrary<HttpInput> = fc
  .tuple(
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom("/fuzz/_search", "/fuzz*/_search", "/_search") }, { weight: 1, arbitrary: fc.constantFrom("/fuzz/_count", "/_all/_search", "/fuzz,missing/_search", "/missing/_search") }),
    fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: searchParams }),
    fc.oneof(
      { weight: 10, arbitrary: goodSearchBody.map((b) => JSON.stringify(b)) },
      { weight: 6, arbitrary: searchBody.map((b) => JSON.stringify(b)) },
      { weight: 1, arbitrary: hostileJson().map((v) => JSON.stringify(v) ?? "null") },
      { weight: 1, arbitrary: malformedJson },
      { weight: 1, arbitrary: deeplyNested.map((d) => `{"query":{"bool":{"must":[${d}]}}}`) },
      { weight: 1, arbitrary: deepShapes },
    ),
    fc.boolean(),
    fc.constantFrom("POST", "GET"),
  )
  .map(([path, params, body, gzip, method]) => {
    const query = new URLSearchParams(params).toString();
    return { method, path: query ? `${path}?${query}` : path, body, gzip };
  });

const msearchRequest: fc.Arbitrary<HttpInput> = fc
  .array(fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom({ index: "fuzz" }, {}) }, { weight: 1, arbitrary: hostileJson({ maxDepth: 1 }) }), fc.oneof({ weight: 3, arbitrary: goodSearchBody }, { weight: 1, arbitrary: searchBody }, { weight: 1, arbitrary: hostileJson({ maxDepth: 2 }) })), { minLength: 1, maxLength: 4 })
  .chain((pairs) => fc.tuple(fc.constant(pairs), fc.boolean()))
  .map(([pairs, gzip]) => ({ method: "POST", path: "/_msearch", body: pairs.map(([h, b]) => `${JSON.stringify(h)}\n${JSON.stringify(b)}\n`).join(""), gzip, ndjson: true }));

const INDEX_NAMES = ["fuzz", "fuzz-bulk", "fuzz-bulk-2"];
const bulkAction = fc
  .tuple(
    fc.constantFrom("index", "create", "update", "delete"),
    fc.record(
      {
        _index: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...INDEX_NAMES) }, { weight: 1, arbitrary: hostileText({ maxLength: 12 }) }),
        _id: fc.oneof(fc.constantFrom("1", "2", "3"), hostileText({ maxLength: 20 })),
        if_seq_no: fc.integer({ min: -1, max: 5 }), if_primary_term: fc.integer({ min: 0, max: 2 }),
        version: fc.integer({ min: -1, max: 10 }), version_type: fc.constantFrom("external", "external_gte", "internal", "nope"),
        routing: fc.string({ maxLength: 4 }), retry_on_conflict: fc.integer({ min: 0, max: 3 }), nope: fc.constant(1),
      },
      { requiredKeys: ["_index"] },
    ),
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ s: scalar, n: fc.oneof(fc.integer(), scalar), d: fc.double(), t: instantLike, body: hostileText({ maxLength: 60 }), tags: fc.array(scalar, { maxLength: 3 }) }, { requiredKeys: [] }).map((d) => JSON.stringify(d)) },
      { weight: 2, arbitrary: fc.record({ doc: hostileJson({ maxDepth: 2 }), doc_as_upsert: fc.boolean(), upsert: hostileJson({ maxDepth: 2 }), detect_noop: fc.boolean(), script: fc.constant("ctx._source.n++") }, { requiredKeys: [] }).map((d) => JSON.stringify(d)) },
      { weight: 1, arbitrary: hostileJson({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null") },
      { weight: 1, arbitrary: malformedJson.map((t) => t.replace(/\n/g, " ")) },
      { weight: 1, arbitrary: deeplyNested },
    ),
  )
  .map(([op, meta, source]) => `${JSON.stringify({ [op]: meta })}\n${op === "delete" ? "" : `${source}\n`}`);

const goodBulkAction = fc
  .tuple(
    fc.constantFrom("index", "create", "update", "delete"),
    fc.constantFrom(...INDEX_NAMES),
    fc.constantFrom("1", "2", "3", "4"),
    fc.record({ s: fc.constantFrom("a", "b"), n: fc.integer({ min: 0, max: 100 }), d: fc.double({ min: 0, max: 10, noNaN: true }), t: fc.integer({ min: 1.7e12, max: 1.9e12 }), body: fc.constantFrom("bitcoin etf", "ether gas"), tags: fc.array(fc.constantFrom("BTC", "ETH"), { maxLength: 2 }) }, { requiredKeys: [] }),
  )
  .map(([op, index, id, doc]) => `${JSON.stringify({ [op]: { _index: index, _id: id } })}\n${op === "delete" ? "" : `${JSON.stringify(op === "update" ? { doc, doc_as_upsert: true } : doc)}\n`}`);

const badLine = fc.oneof(bulkAction, deepDocument.map((d) => `{"index":{"_index":"fuzz-bulk","_id":"deep"}}\n${d}\n`), fc.constantFrom("\n", "{\"index\":{}}\n", "{}\n", "[]\n", "{\"index\":{\"_index\":\"fuzz\"},\"extra\":1}\n", "not json\n"));

const bulkRequest: fc.Arbitrary<HttpInput> = fc
  .tuple(
    fc.array(goodBulkAction, { minLength: 1, maxLength: 8 }),
    // One thing wrong, or nothing: a hostile line somewhere, the last newline missing, a bad parameter.
    fc.option(fc.oneof(fc.tuple(fc.constant("line" as const), fc.nat(), badLine), fc.constant(["newline" as const, 0, ""] as const), fc.constant(["path" as const, 0, "/_bulk?refresh=nope"] as const)), { freq: 2 }),
    fc.constantFrom("/_bulk", "/fuzz/_bulk", "/_bulk?refresh=true", "/fuzz-bulk/_bulk?refresh=wait_for"),
    fc.boolean(),
  )
  .map(([lines, change, path, gzip]) => {
    let body = lines.join("");
    let target: string = path;
    if (change?.[0] === "line") {
      const at = change[1] % (lines.length + 1);
      body = [...lines.slice(0, at), change[2], ...lines.slice(at)].join("");
    } else if (change?.[0] === "newline") body = body.replace(/\n$/, "");
    else if (change?.[0] === "path") target = change[2];
    return { method: "POST", path: target, body, gzip, ndjson: true };
  });

async function startServer(): Promise<SearchServer> {
  const server = await startSearchServer({ port: 0 });
  const setup: HttpInput[] = [
    { method: "PUT", path: "/fuzz", gzip: false, body: JSON.stringify({ mappings: { properties: { s: { type: "keyword" }, n: { type: "long" }, d: { type: "double" }, t: { type: "date" }, body: { type: "text", fields: { keyword: { type: "keyword" } } }, tags: { type: "keyword" } } } }) },
    { method: "POST", path: "/_bulk?refresh=true", gzip: false, ndjson: true, body: Array.from({ length: 30 }, (_, i) => `{"index":{"_index":"fuzz","_id":"${i}"}}\n${JSON.stringify({ s: ["a", "b", "c"][i % 3], n: i, d: i / 3, t: 1_795_300_000_000 + i * 600_000, body: `bitcoin etf news ${i}`, tags: ["BTC", "ETH"].slice(i % 2) })}\n`).join("") },
  ];
  for (const input of setup) {
    const answer = await send(server, input);
    if (answer.status >= 300) throw new Error(`fuzz setup failed: ${answer.status} ${answer.text}`);
  }
  return server;
}

export const searchQueryBoundary: Boundary<HttpInput> = {
  name: "search endpoint: query & aggregation parsers",
  async start(): Promise<RunningBoundary<HttpInput>> {
    const server = await startServer();
    return {
      arbitrary: fc.oneof({ weight: 6, arbitrary: searchRequest }, { weight: 1, arbitrary: msearchRequest }),
      async check(input) {
        const verdict = judged(await send(server, input), `${input.method} ${input.path}`);
        // _msearch answers 200 with per-search errors: still never a 5xx inside.
        if (input.path === "/_msearch" && verdict === "accepted") {
          const { responses } = JSON.parse((await send(server, input)).text) as { responses: Array<{ status?: number }> };
          if (responses.some((r) => (r.status ?? 200) >= 500)) throw new Error("an _msearch item answered 5xx");
        }
        return verdict;
      },
      stop: () => server.close(),
    };
  },
};

export const searchBulkBoundary: Boundary<HttpInput> = {
  name: "search endpoint: bulk parser",
  async start(): Promise<RunningBoundary<HttpInput>> {
    const server = await startServer();
    const state = async () => {
      await send(server, { method: "POST", path: "/_refresh", body: "", gzip: false });
      const answer = await send(server, { method: "GET", path: "/_cat/indices?format=json", body: "", gzip: false });
      return JSON.stringify((JSON.parse(answer.text) as Array<{ index: string; "docs.count": string }>).map((i) => [i.index, i["docs.count"]]).sort());
    };
    return {
      arbitrary: bulkRequest,
      async check(input) {
        const before = await state();
        const answer = await send(server, input);
        const verdict = judged(answer, `${input.method} ${input.path}`);
        if (verdict === "refused" && (await state()) !== before) throw new Error(`bulk refused with ${answer.status}, yet the indices changed: ${answer.text.slice(0, 300)}`);
        if (verdict === "accepted") {
          const { items = [] } = JSON.parse(answer.text) as { items?: Array<Record<string, { status: number }>> };
          if (items.some((item) => Object.values(item)[0]!.status >= 500)) throw new Error(`a bulk item answered 5xx: ${answer.text.slice(0, 500)}`);
        }
        return verdict;
      },
      stop: () => server.close(),
    };
  },
};
