// Contract: _search and _count — every query type against answers computed in
// the test, sorting, paging, search_after, _source filtering, totals, index
// patterns, text relevance, _delete_by_query and search errors.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { failure, indexAll, REAL_URL, startTarget, type Target } from "./target.ts";
import { BASE, type Doc, makeDocs, MAPPINGS, ms, sortedIds, tokens } from "./fixtures.ts";

let t: Target;
let index: string;
const data = makeDocs(400);

before(async () => {
  t = await startTarget();
  index = t.name("search");
  await t.client.indices.create({ index, body: { settings: { number_of_shards: 1 }, mappings: MAPPINGS } });
  await indexAll(t.client, index, data as unknown as { id: string; doc: Record<string, unknown> }[]);
});
after(async () => {
  await t.close();
});

async function idsOf(query: unknown): Promise<string[]> {
  const r = await t.client.search({ index, body: { query: query as never, size: 1000, _source: false } });
  assert.equal((r.body.hits.total as { value: number }).value, r.body.hits.hits.length);
  return r.body.hits.hits.map((h) => h._id!).sort();
}

function expect(pred: (d: Doc) => boolean): string[] {
  return sortedIds(data.filter((x) => pred(x.doc)));
}

describe("range over thousands of documents (the local endpoint skips blocks whose values cannot match)", () => {
  // Times mostly in write order, as trades arrive, with stragglers far out of order,
  // multi-valued and missing fields, later overwrites and deletes: whatever the
  // endpoint skips, the answer must be the brute-force one.
  const N = 5000;
  const T0 = 1_795_338_720_000;
  const docs = Array.from({ length: N }, (_, i) => {
    const t = i % 97 === 0 ? T0 + ((i * 7919) % N) * 10 : i % 101 === 0 ? [T0 + i * 10, T0 + (N - i) * 10] : i % 89 === 0 ? undefined : T0 + i * 10 + (i % 3);
    return { id: `r${i}`, doc: t === undefined ? { n: i } : { n: i, t } };
  });
  let rangeIndex: string;
  before(async () => {
    rangeIndex = t.name("ranges");
    await t.client.indices.create({ index: rangeIndex, body: { settings: { number_of_shards: 1 }, mappings: { properties: { n: { type: "long" }, t: { type: "long" } } } } });
    await indexAll(t.client, rangeIndex, docs);
    // An overwrite moves a document far back in time; a delete removes one inside a range.
    docs[4000] = { id: "r4000", doc: { n: 4000, t: T0 + 5 } };
    await t.client.index({ index: rangeIndex, id: "r4000", body: docs[4000]!.doc, refresh: true });
    await t.client.delete({ index: rangeIndex, id: "r2500", refresh: true });
  });

  it("matches exactly the documents with a value in range, bounds inclusive or exclusive", async () => {
    const live = docs.filter((d) => d.id !== "r2500");
    const values = (d: (typeof docs)[number]) => (d.doc.t === undefined ? [] : Array.isArray(d.doc.t) ? d.doc.t : [d.doc.t]);
    const cases: Array<Record<string, number>> = [
      { gte: T0 + 30_000, lt: T0 + 30_500 }, { gt: T0 + 30_000, lte: T0 + 30_500 }, { gte: T0, lte: T0 + 10 },
      { gte: T0 + 49_990 }, { lt: T0 + 20 }, { gte: T0 + 12_340, lte: T0 + 12_340 }, { gt: T0 + 60_000 }, { gte: T0 + 1, lte: T0 + 9 },
    ];
    for (const range of cases) {
      const inRange = (v: number) => (range.gte === undefined || v >= range.gte) && (range.gt === undefined || v > range.gt) && (range.lte === undefined || v <= range.lte) && (range.lt === undefined || v < range.lt);
      const want = live.filter((d) => values(d).some(inRange)).map((d) => d.id).sort();
      const r = await t.client.search({ index: rangeIndex, body: { query: { range: { t: range } }, size: N, _source: false, track_total_hits: true } });
      assert.deepEqual(r.body.hits.hits.map((h) => h._id!).sort(), want, JSON.stringify(range));
    }
    const term = await t.client.count({ index: rangeIndex, body: { query: { term: { t: T0 + 5 } } } });
    assert.equal((term.body as { count: number }).count, live.filter((d) => values(d).includes(T0 + 5)).length);
  });
});

describe("term-level queries", () => {
  it("term, terms, ids, prefix and exists", async () => {
    assert.deepEqual(await idsOf({ term: { symbol: "ETH" } }), expect((d) => d.symbol === "ETH"));
    assert.deepEqual(await idsOf({ term: { symbol: { value: "ETH" } } }), expect((d) => d.symbol === "ETH"));
    assert.deepEqual(await idsOf({ terms: { symbol: ["SOL", "XRP"] } }), expect((d) => d.symbol === "SOL" || d.symbol === "XRP"));
    assert.deepEqual(await idsOf({ term: { tags: "etf" } }), expect((d) => d.tags.includes("etf")));
    assert.deepEqual(await idsOf({ term: { qty: 42 } }), expect((d) => d.qty === 42));
    assert.deepEqual(await idsOf({ ids: { values: ["d0001", "d0100", "nope"] } }), ["d0001", "d0100"]);
    assert.deepEqual(await idsOf({ prefix: { exchange: "bi" } }), expect((d) => d.exchange.startsWith("bi")));
    assert.deepEqual(await idsOf({ exists: { field: "price" } }), expect((d) => d.price !== undefined));
    assert.deepEqual(await idsOf({ exists: { field: "tags" } }), expect((d) => d.tags.length > 0));
    assert.deepEqual(await idsOf({ term: { symbol: "NOPE" } }), []);
    assert.deepEqual(await idsOf({ term: { unmapped_field: "x" } }), []);
  });

  it("range on numbers (gt/gte/lt/lte)", async () => {
    assert.deepEqual(await idsOf({ range: { price: { gte: 250, lt: 600.5 } } }), expect((d) => d.price !== undefined && d.price >= 250 && d.price < 600.5));
    assert.deepEqual(await idsOf({ range: { qty: { gt: 10, lte: 20 } } }), expect((d) => d.qty > 10 && d.qty <= 20));
    assert.deepEqual(await idsOf({ range: { qty: { gte: 95 } } }), expect((d) => d.qty >= 95));
  });

  it("range on dates with explicit instants, formats, rounding and anchored date math", async () => {
    const lo = "2024-02-03T06:00:00Z";
    const hi = "2024-02-05T18:30:00Z";
    assert.deepEqual(await idsOf({ range: { at: { gte: lo, lt: hi } } }), expect((d) => ms(d.at) >= ms(lo) && ms(d.at) < ms(hi)));
    // lte on a date without time includes the whole day; gt excludes the whole day
    const dayStart = Date.UTC(2024, 1, 10);
    const dayEnd = Date.UTC(2024, 1, 11);
    assert.deepEqual(await idsOf({ range: { at: { gte: "2024-02-08", lte: "2024-02-10", format: "yyyy-MM-dd" } } }), expect((d) => ms(d.at) >= Date.UTC(2024, 1, 8) && ms(d.at) < dayEnd));
    assert.deepEqual(await idsOf({ range: { at: { gt: "2024-02-10" } } }), expect((d) => ms(d.at) >= dayEnd));
    // date math anchored on a date: +1M then round to the day
    assert.deepEqual(
      await idsOf({ range: { at: { gte: "2024-01-31T13:00:00Z||+1d/d", lt: "2024-01-31T13:00:00Z||+3d/d" } } }),
      expect((d) => ms(d.at) >= Date.UTC(2024, 1, 1) && ms(d.at) < Date.UTC(2024, 1, 3)),
    );
    // epoch millis
    assert.deepEqual(await idsOf({ range: { at: { gte: dayStart, lt: dayEnd } } }), expect((d) => ms(d.at) >= dayStart && ms(d.at) < dayEnd));
    // a time zone shifts dates without an explicit offset
    assert.deepEqual(
      await idsOf({ range: { at: { gte: "2024-02-10T00:00:00", lt: "2024-02-11T00:00:00", time_zone: "+02:00" } } }),
      expect((d) => ms(d.at) >= dayStart - 7_200_000 && ms(d.at) < dayEnd - 7_200_000),
    );
  });

  it("range with now-relative date math (now-6h/h, now/d)", async () => {
    const rel = t.name("now");
    const now = Date.now();
    const docs = Array.from({ length: 60 }, (_, i) => ({ id: `n${i}`, doc: { at: new Date(now - i * 17 * 60_000).toISOString() } }));
    await indexAll(t.client, rel, docs);
    const q = async (range: Record<string, string>): Promise<string[]> => {
      const r = await t.client.search({ index: rel, body: { query: { range: { at: range } }, size: 100 } });
      return r.body.hits.hits.map((h) => h._id!).sort();
    };
    const t0 = Date.now();
    const got = await q({ gte: "now-6h/h", lt: "now-1h/h" });
    const t1 = Date.now();
    const want = (n: number): string[] => {
      const lo = Math.floor((n - 6 * 3_600_000) / 3_600_000) * 3_600_000;
      const hi = Math.floor((n - 3_600_000) / 3_600_000) * 3_600_000;
      return docs.filter((d) => ms(d.doc.at) >= lo && ms(d.doc.at) < hi).map((d) => d.id).sort();
    };
    assert.ok(JSON.stringify(got) === JSON.stringify(want(t0)) || JSON.stringify(got) === JSON.stringify(want(t1)), "now-6h/h .. now-1h/h");
    const today = await q({ gte: "now/d" });
    const t2 = Date.now();
    const wantToday = (n: number): string[] => docs.filter((d) => ms(d.doc.at) >= Math.floor(n / 86_400_000) * 86_400_000).map((d) => d.id).sort();
    assert.ok(JSON.stringify(today) === JSON.stringify(wantToday(t1)) || JSON.stringify(today) === JSON.stringify(wantToday(t2)), "now/d");
  });
});

describe("bool queries", () => {
  it("combines must, filter, should, must_not and minimum_should_match", async () => {
    assert.deepEqual(
      await idsOf({ bool: { must: [{ term: { exchange: "binance" } }], filter: [{ range: { qty: { lt: 50 } } }], must_not: [{ term: { symbol: "BTC" } }] } }),
      expect((d) => d.exchange === "binance" && d.qty < 50 && d.symbol !== "BTC"),
    );
    // only should clauses: at least one must match
    assert.deepEqual(
      await idsOf({ bool: { should: [{ term: { symbol: "ADA" } }, { term: { tags: "hack" } }] } }),
      expect((d) => d.symbol === "ADA" || d.tags.includes("hack")),
    );
    // with a filter, should clauses are optional
    assert.deepEqual(
      await idsOf({ bool: { filter: [{ term: { exchange: "kucoin" } }], should: [{ term: { symbol: "ADA" } }] } }),
      expect((d) => d.exchange === "kucoin"),
    );
    // minimum_should_match 2 of 3
    const clauses = [{ term: { symbol: "ETH" } }, { range: { qty: { gte: 50 } } }, { exists: { field: "title" } }];
    assert.deepEqual(
      await idsOf({ bool: { should: clauses, minimum_should_match: 2 } }),
      expect((d) => [d.symbol === "ETH", d.qty >= 50, d.title !== undefined].filter(Boolean).length >= 2),
    );
    // nested bools and must_not only
    assert.deepEqual(
      await idsOf({ bool: { must_not: [{ bool: { should: [{ term: { symbol: "BTC" } }, { term: { symbol: "ETH" } }] } }] } }),
      expect((d) => d.symbol !== "BTC" && d.symbol !== "ETH"),
    );
  });

  it("narrow filters with should, minimum_should_match and must_not give the same answers (later clauses see only the survivors)", async () => {
    // A narrow range first: the other clauses are evaluated on its few documents only.
    const seqs = data.map((x) => x.doc.seq).sort((a, b) => a - b);
    const [lo, hi] = [seqs[100]!, seqs[140]!];
    const inRange = (d: Doc) => d.seq >= lo && d.seq <= hi;
    const should = [{ term: { symbol: "ETH" } }, { range: { qty: { gte: 50 } } }, { terms: { tags: ["etf", "hack"] } }];
    const shouldCount = (d: Doc) => [d.symbol === "ETH", d.qty >= 50, d.tags.some((x) => x === "etf" || x === "hack")].filter(Boolean).length;
    // Sorted by a field: no scores are computed, the narrowing evaluation applies.
    const unscoredIds = async (query: unknown) => {
      const r = await t.client.search({ index, body: { query: query as never, size: 1000, sort: [{ seq: "asc" }], _source: false } });
      return r.body.hits.hits.map((h) => h._id!).sort();
    };
    for (const msm of [1, 2, 3]) {
      assert.deepEqual(
        await unscoredIds({ bool: { filter: [{ terms: { exchange: ["binance", "bitmex"] } }, { range: { seq: { gte: lo, lte: hi } } }], should, minimum_should_match: msm, must_not: [{ term: { symbol: "SOL" } }] } }),
        expect((d) => inRange(d) && (d.exchange === "binance" || d.exchange === "bitmex") && shouldCount(d) >= msm && d.symbol !== "SOL"),
        `minimum_should_match ${msm}`,
      );
    }
    // Scored (a must clause) and unscored forms of the same query match the same documents.
    const unscored = await unscoredIds({ bool: { filter: [{ range: { seq: { gte: lo, lte: hi } } }, { term: { exchange: "kucoin" } }], must_not: [{ terms: { tags: ["macro"] } }] } });
    const scored = await idsOf({ bool: { must: [{ term: { exchange: "kucoin" } }], filter: [{ range: { seq: { gte: lo, lte: hi } } }], must_not: [{ terms: { tags: ["macro"] } }] } });
    assert.deepEqual(unscored, expect((d) => inRange(d) && d.exchange === "kucoin" && !d.tags.includes("macro")));
    assert.deepEqual(scored, unscored);
  });
});

describe("full-text queries", () => {
  it("match with or/and operators, match_phrase and multi_match", async () => {
    const has = (d: Doc, field: "title" | "summary", w: string): boolean => tokens(d[field]).includes(w);
    assert.deepEqual(await idsOf({ match: { title: "Bitcoin WHALE" } }), expect((d) => has(d, "title", "bitcoin") || has(d, "title", "whale")));
    assert.deepEqual(await idsOf({ match: { title: { query: "bitcoin whale", operator: "and" } } }), expect((d) => has(d, "title", "bitcoin") && has(d, "title", "whale")));
    assert.deepEqual(
      await idsOf({ match: { title: { query: "bitcoin whale record", minimum_should_match: 2 } } }),
      expect((d) => ["bitcoin", "whale", "record"].filter((w) => has(d, "title", w)).length >= 2),
    );
    const phrase = (text: string | undefined, a: string, b: string): boolean => {
      const tk = tokens(text);
      return tk.some((x, i) => x === a && tk[i + 1] === b);
    };
    assert.deepEqual(await idsOf({ match_phrase: { title: "quick brown" } }), expect((d) => phrase(d.title, "quick", "brown")));
    assert.deepEqual(await idsOf({ match_phrase: { summary: "market crash" } }), expect((d) => phrase(d.summary, "market", "crash")));
    assert.deepEqual(
      await idsOf({ multi_match: { query: "etf approval", fields: ["title^2", "summary"] } }),
      expect((d) => ["etf", "approval"].some((w) => has(d, "title", w) || has(d, "summary", w))),
    );
  });

  it("scores with BM25: more occurrences in a shorter text rank higher, max_score is the top score", async () => {
    const rel = t.name("bm25");
    await indexAll(t.client, rel, [
      { id: "many", doc: { body: "bitcoin bitcoin bitcoin etf" } },
      { id: "once-long", doc: { body: "bitcoin etf news today again and again with more words" } },
      { id: "once-short", doc: { body: "bitcoin etf" } },
      { id: "none", doc: { body: "ethereum etf" } },
    ]);
    const r = await t.client.search({ index: rel, body: { query: { match: { body: "bitcoin" } } } });
    const hits = r.body.hits.hits;
    assert.deepEqual(hits.map((h) => h._id), ["many", "once-short", "once-long"]);
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!._score! > hits[i]!._score!);
    assert.equal(r.body.hits.max_score, hits[0]!._score);
  });
});

describe("sorting and paging", () => {
  const cmpNum = (a: number | undefined, b: number | undefined, dir: 1 | -1): number => {
    if (a === undefined && b === undefined) return 0;
    if (a === undefined) return 1; // missing last in both directions
    if (b === undefined) return -1;
    return dir * (a - b);
  };
  const byPriceDescSeq = [...data].sort((x, y) => cmpNum(x.doc.price, y.doc.price, -1) || x.doc.seq - y.doc.seq);

  it("sorts by several keys with missing values last", async () => {
    const r = await t.client.search({ index, body: { size: 400, sort: [{ price: "desc" }, { seq: "asc" }], _source: false } });
    assert.deepEqual(r.body.hits.hits.map((h) => h._id), byPriceDescSeq.map((d) => d.id));
    assert.equal(r.body.hits.hits[0]!._score, null);
    const byKw = [...data].sort((x, y) => (x.doc.symbol < y.doc.symbol ? -1 : x.doc.symbol > y.doc.symbol ? 1 : 0) || ms(y.doc.at) - ms(x.doc.at) || x.doc.seq - y.doc.seq);
    const r2 = await t.client.search({ index, body: { size: 400, sort: [{ symbol: "asc" }, { at: { order: "desc" } }, "seq"], _source: false } });
    assert.deepEqual(r2.body.hits.hits.map((h) => h._id), byKw.map((d) => d.id));
    const sortVals = r2.body.hits.hits[0]!.sort!;
    assert.equal(sortVals[0], byKw[0]!.doc.symbol);
    assert.equal(sortVals[1], ms(byKw[0]!.doc.at));
  });

  it("puts missing values first when asked", async () => {
    const want = [...data].sort((x, y) => {
      const a = x.doc.price;
      const b = y.doc.price;
      if (a === undefined || b === undefined) return (a === undefined ? -1 : 0) - (b === undefined ? -1 : 0) || x.doc.seq - y.doc.seq;
      return a - b || x.doc.seq - y.doc.seq;
    });
    const r = await t.client.search({ index, body: { size: 400, sort: [{ price: { order: "asc", missing: "_first" } }, { seq: "asc" }], _source: false } });
    assert.deepEqual(r.body.hits.hits.map((h) => h._id), want.map((d) => d.id));
  });

  it("pages with from/size and with search_after to the same order", async () => {
    const sort = [{ price: "desc" }, { seq: "asc" }] as never;
    const page = await t.client.search({ index, body: { from: 30, size: 25, sort, _source: false } });
    assert.deepEqual(page.body.hits.hits.map((h) => h._id), byPriceDescSeq.slice(30, 55).map((d) => d.id));
    const seen: string[] = [];
    let after: unknown[] | undefined;
    for (;;) {
      const r = await t.client.search({ index, body: { size: 37, sort, _source: false, ...(after ? { search_after: after } : {}) } as never });
      const hits = r.body.hits.hits;
      if (hits.length === 0) break;
      seen.push(...hits.map((h) => h._id!));
      after = hits[hits.length - 1]!.sort as unknown[];
    }
    assert.deepEqual(seen, byPriceDescSeq.map((d) => d.id));
  });

  it("filters _source with booleans, patterns, arrays and includes/excludes", async () => {
    const one = async (src: unknown): Promise<Record<string, unknown> | undefined> => {
      const r = await t.client.search({ index, body: { query: { ids: { values: ["d0003"] } }, _source: src as never } });
      return r.body.hits.hits[0]!._source as Record<string, unknown> | undefined;
    };
    const d = data[3]!.doc;
    assert.equal(await one(false), undefined);
    assert.deepEqual(await one(["symbol", "qty"]), { symbol: d.symbol, qty: d.qty });
    assert.deepEqual(await one("sym*"), { symbol: d.symbol });
    const { summary: _s, title: _t, ...rest } = d;
    assert.deepEqual(await one({ excludes: ["summary", "title"] }), rest);
    assert.deepEqual(await one({ includes: ["s*"], excludes: ["seq"] }), { symbol: d.symbol, summary: d.summary });
  });
});

describe("totals and counts", () => {
  it("caps hits.total at 10,000 by default and honours track_total_hits", async () => {
    const big = t.name("big");
    const n = 10_050;
    await indexAll(t.client, big, Array.from({ length: n }, (_, i) => ({ id: String(i), doc: { i } })));
    const def = await t.client.search({ index: big, body: { size: 0 } });
    assert.deepEqual(def.body.hits.total, { value: 10_000, relation: "gte" });
    const exact = await t.client.search({ index: big, body: { size: 0, track_total_hits: true } });
    assert.deepEqual(exact.body.hits.total, { value: n, relation: "eq" });
    const capped = await t.client.search({ index: big, body: { size: 0, track_total_hits: 500 } });
    assert.deepEqual(capped.body.hits.total, { value: 500, relation: "gte" });
    const off = await t.client.search({ index: big, body: { size: 1, track_total_hits: false } });
    assert.equal(off.body.hits.total, undefined);
    assert.equal((await t.client.count({ index: big })).body.count, n);
    assert.equal((await t.client.count({ index: big, body: { query: { range: { i: { lt: 100 } } } } })).body.count, 100);
  });

  it("_count with a query matches the number of hits", async () => {
    const r = await t.client.count({ index, body: { query: { term: { exchange: "bitmex" } } } });
    assert.equal(r.body.count, data.filter((d) => d.doc.exchange === "bitmex").length);
  });
});

describe("several indices", () => {
  it("searches comma lists and wildcard patterns, merging sorted hits", async () => {
    const a = t.name("multi-a");
    const b = t.name("multi-b");
    await indexAll(t.client, a, [1, 4, 5].map((v) => ({ id: `a${v}`, doc: { v } })));
    await indexAll(t.client, b, [2, 3, 6].map((v) => ({ id: `b${v}`, doc: { v } })));
    const pattern = await t.client.search({ index: t.name("multi-*"), body: { sort: [{ v: "asc" }] } });
    assert.deepEqual(pattern.body.hits.hits.map((h) => h._id), ["a1", "b2", "b3", "a4", "a5", "b6"]);
    assert.deepEqual(pattern.body.hits.hits.map((h) => h._index), [a, b, b, a, a, b]);
    const list = await t.client.search({ index: [a, b], body: { sort: [{ v: "desc" }], size: 2 } });
    assert.deepEqual(list.body.hits.hits.map((h) => h._id), ["b6", "a5"]);
    const none = await t.client.search({ index: t.name("nomatch-*") });
    assert.equal((none.body.hits.total as { value: number }).value, 0);
    assert.equal((await t.client.count({ index: t.name("multi-*") })).body.count, 6);
  });
});

describe("multi search", () => {
  it("answers each search of an _msearch in order, with per-search errors", async () => {
    const r = await t.client.msearch({
      body: [
        { index },
        { size: 0, query: { term: { symbol: "ETH" } } },
        { index: t.name("missing-msearch") },
        { query: { match_all: {} } },
        { index },
        { size: 0, aggs: { q: { sum: { field: "qty" } } } },
      ] as never,
    });
    const res = r.body.responses as { status: number; hits?: { total: { value: number } }; error?: { type: string }; aggregations?: { q: { value: number } } }[];
    assert.deepEqual(res.map((x) => x.status), [200, 404, 200]);
    assert.equal(res[0]!.hits!.total.value, data.filter((d) => d.doc.symbol === "ETH").length);
    assert.equal(res[1]!.error!.type, "index_not_found_exception");
    assert.equal(res[2]!.aggregations!.q.value, data.reduce((n, d) => n + d.doc.qty, 0));
  });
});

describe("delete by query", () => {
  it("deletes the matching documents and reports how many", async () => {
    const target = t.name("dbq");
    const docs = makeDocs(120, 7);
    await t.client.indices.create({ index: target, body: { mappings: MAPPINGS } });
    await indexAll(t.client, target, docs as unknown as { id: string; doc: Record<string, unknown> }[]);
    const doomed = docs.filter((d) => d.doc.symbol === "DOGE" || d.doc.qty < 10).length;
    const r = await t.client.deleteByQuery({ index: target, refresh: true, body: { query: { bool: { should: [{ term: { symbol: "DOGE" } }, { range: { qty: { lt: 10 } } }] } } } });
    assert.equal((r.body as { deleted?: number }).deleted, doomed);
    assert.equal((await t.client.count({ index: target })).body.count, docs.length - doomed);
  });
});

describe("search errors", () => {
  it("rejects unknown query types with 400 parsing_exception", async () => {
    const f = await failure(t.client.search({ index, body: { query: { no_such_query: { x: 1 } } as never } }));
    assert.equal(f.status, 400);
    assert.equal(f.rootType, "parsing_exception");
  });

  it("answers 404 for a missing index", async () => {
    const f = await failure(t.client.search({ index: t.name("missing") }));
    assert.equal(f.status, 404);
    assert.equal(f.type, "index_not_found_exception");
  });

  it("refuses to sort on a text field", async () => {
    const f = await failure(t.client.search({ index, body: { sort: [{ title: "asc" }] } }));
    assert.equal(f.status, 400);
    assert.equal(f.type, "search_phase_execution_exception");
    assert.equal(f.rootType, "illegal_argument_exception");
  });

  it("refuses a result window beyond index.max_result_window", async () => {
    const f = await failure(t.client.search({ index, body: { from: 9_995, size: 10 } }));
    assert.equal(f.status, 400);
    assert.equal(f.rootType, "illegal_argument_exception");
  });

  it("refuses a number that is not a number in a term query on a numeric field", async () => {
    const f = await failure(t.client.search({ index, body: { query: { term: { qty: "abc" } } } }));
    assert.equal(f.status, 400);
  });

  it("knows BASE is a Monday (fixture sanity)", () => {
    assert.equal(new Date(BASE).getUTCDay(), 1);
  });
});

describe("the q URI parameter (the query_string form people type)", () => {
  const words = (d: Doc) => new Set([...tokens(d.title ?? ""), ...tokens(d.summary), d.symbol.toLowerCase(), d.exchange, ...d.tags]);
  async function qIds(q: string, extra: Record<string, string> = {}): Promise<string[]> {
    const r = await t.client.search({ index, q, size: 1000, _source: false, ...extra } as never);
    return (r.body.hits.hits as Array<{ _id: string }>).map((h) => h._id).sort();
  }

  it("matches a bare word in any text or keyword field, either of two words, both with AND", async () => {
    assert.deepEqual(await qIds("bitcoin"), expect((d) => words(d).has("bitcoin")));
    assert.deepEqual(await qIds("whale miners"), expect((d) => words(d).has("whale") || words(d).has("miners")));
    assert.deepEqual(await qIds("whale AND miners"), expect((d) => words(d).has("whale") && words(d).has("miners")));
    assert.deepEqual(await qIds("whale miners", { default_operator: "AND" }), expect((d) => words(d).has("whale") && words(d).has("miners")));
  });

  it("reads field:value, required and excluded terms, NOT and phrases", async () => {
    assert.deepEqual(await qIds("symbol:SOL"), expect((d) => d.symbol === "SOL"));
    assert.deepEqual(await qIds("title:rally -symbol:BTC"), expect((d) => tokens(d.title ?? "").includes("rally") && d.symbol !== "BTC"));
    assert.deepEqual(await qIds("+title:rally +exchange:kucoin"), expect((d) => tokens(d.title ?? "").includes("rally") && d.exchange === "kucoin"));
    assert.deepEqual(await qIds("exchange:bitmex NOT tags:hack"), expect((d) => d.exchange === "bitmex" && !d.tags.includes("hack")));
    const phrase = (text: string) => {
      const t2 = tokens(text);
      return t2.some((w, i) => w === "quick" && t2[i + 1] === "brown");
    };
    assert.deepEqual(await qIds('title:"quick brown"'), expect((d) => phrase(d.title ?? "")));
  });

  it("counts with q as _search finds", async () => {
    const r = await t.client.count({ index, q: "exchange:binance" } as never);
    assert.equal(r.body.count, expect((d) => d.exchange === "binance").length);
  });

  it("refuses the query_string syntax the local endpoint does not read, naming q", { skip: REAL_URL ? "a real cluster reads all of it" : false }, async () => {
    for (const q of ["(bitcoin OR ether)", "bitc*", "price:[1 TO 5]", "bitcoin~2", "title:rally^2", "AND bitcoin", ""]) {
      const f = await failure(t.client.search({ index, q } as never));
      assert.equal(f.status, 400, q);
      assert.match(f.reason, /\[q\]/, q);
    }
  });
});
