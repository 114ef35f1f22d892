// Contract: a filter aggregation counts exactly the documents a query with the same
// clause matches. The local endpoint answers the two differently (the aggregation
// compiles its filter to a per-document predicate, the query evaluates bitsets), so
// random queries over bool, term, terms, range, exists, constant_score, match_all and
// match_none on keyword, long, double, date and multi-valued fields check one
// against the other, under a narrowing query as the candle searches use it. Against
// a real cluster (OPENSEARCH_URL) the same assertions hold.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { seededRandom } from "./seededRandom.ts";
import { startTarget, type Target } from "./target.ts";

let t: Target;
let index: string;
const SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XBTUSD"];
const EXCHANGES = ["binance", "kucoin", "bitmex", "all"];
const T0 = Date.UTC(2026, 11, 6);

before(async () => {
  t = await startTarget();
  index = t.name("filter-matching");
  await t.client.indices.create({
    index,
    body: {
      mappings: {
        properties: {
          symbol: { type: "keyword" }, exchange: { type: "keyword" }, tags: { type: "keyword" },
          time: { type: "date" }, price: { type: "double" }, trades: { type: "long" }, note: { type: "text" },
        },
      },
    },
  });
  const rnd = seededRandom(16);
  const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const body: unknown[] = [];
  for (let i = 0; i < 600; i++) {
    const doc: Record<string, unknown> = { symbol: pick(SYMBOLS), exchange: pick(EXCHANGES), time: T0 + Math.floor(rnd() * 600) * 1000, price: Math.round(rnd() * 1000) / 10 };
    if (rnd() < 0.8) doc.trades = Math.floor(rnd() * 20);
    if (rnd() < 0.3) doc.tags = [pick(SYMBOLS), pick(EXCHANGES)];
    if (rnd() < 0.2) doc.note = "late trade";
    body.push({ index: { _index: index, _id: `d${i}` } }, doc);
  }
  // Some revisions and deletions: replaced and deleted documents must not count.
  for (let i = 0; i < 40; i++) body.push({ index: { _index: index, _id: `d${i}` } }, { symbol: "BTCUSDT", exchange: "binance", time: T0, price: 1, trades: 1 });
  for (let i = 40; i < 60; i++) body.push({ delete: { _index: index, _id: `d${i}` } });
  const r = await t.client.bulk({ body: body as never, refresh: "true" as never });
  assert.equal(r.body.errors, false);
});
after(async () => {
  await t.close();
});

function randomQuery(rnd: () => number, depth = 0): unknown {
  const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const kinds = depth < 2 ? ["term", "terms", "range", "exists", "bool", "bool", "constant_score", "match_all", "match_none", "numterm"] : ["term", "terms", "range", "exists", "numterm"];
  switch (pick(kinds)) {
    case "term":
      return { term: { [pick(["symbol", "exchange", "tags"])]: pick([...SYMBOLS, ...EXCHANGES, "nothing"]) } };
    case "numterm":
      return pick([{ term: { trades: Math.floor(rnd() * 20) } }, { term: { trades: 2.5 } }, { term: { price: Math.round(rnd() * 1000) / 10 } }, { term: { missing_field: "x" } }]);
    case "terms":
      return { terms: { [pick(["symbol", "exchange", "tags"])]: [pick(SYMBOLS), pick(EXCHANGES), pick(SYMBOLS)] } };
    case "range": {
      const field = pick(["time", "price", "trades"]);
      const [lo, hi] = field === "time" ? [T0 + Math.floor(rnd() * 300_000), T0 + 300_000 + Math.floor(rnd() * 300_000)] : field === "price" ? [rnd() * 50, 50 + rnd() * 50] : [Math.floor(rnd() * 10), 10 + Math.floor(rnd() * 10)];
      return { range: { [field]: { [pick(["gt", "gte"])]: lo, [pick(["lt", "lte"])]: hi } } };
    }
    case "exists":
      return { exists: { field: pick(["trades", "tags", "note", "symbol"]) } };
    case "constant_score":
      return { constant_score: { filter: randomQuery(rnd, depth + 1) } };
    case "match_all":
      return { match_all: {} };
    case "match_none":
      return { match_none: {} };
    default: {
      const clauses = () => Array.from({ length: Math.floor(rnd() * 3) }, () => randomQuery(rnd, depth + 1));
      const bool: Record<string, unknown> = { filter: clauses(), must_not: clauses(), should: clauses() };
      if (rnd() < 0.3) bool.minimum_should_match = pick([1, 2, "50%"]);
      return { bool };
    }
  }
}

describe("filter aggregations match what queries match", () => {
  it("random filters, alone and under a narrowing query: doc_count = the query's count", async () => {
    const rnd = seededRandom(1016);
    const narrow = { bool: { filter: [{ terms: { symbol: SYMBOLS.slice(0, 3) } }, { range: { time: { gte: T0 + 60_000, lt: T0 + 540_000 } } }] } };
    for (let round = 0; round < 20; round++) {
      const queries = Array.from({ length: 8 }, () => randomQuery(rnd));
      const aggs: Record<string, unknown> = {};
      queries.forEach((q, i) => (aggs[`f${i}`] = { filter: q }));
      aggs.all = { filters: { filters: Object.fromEntries(queries.map((q, i) => [`q${i}`, q])) } };
      for (const outer of [undefined, narrow]) {
        const r = await t.client.search({ index, body: { size: 0, ...(outer ? { query: outer } : {}), aggs } as never });
        const got = r.body.aggregations as Record<string, { doc_count: number; buckets?: Record<string, { doc_count: number }> }>;
        for (let i = 0; i < queries.length; i++) {
          const filter = outer ? [outer, queries[i]] : [queries[i]];
          const c = await t.client.count({ index, body: { query: { bool: { filter } } } as never });
          const expected = c.body.count as number;
          assert.equal(got[`f${i}`]!.doc_count, expected, `filter ${JSON.stringify(queries[i])} under ${outer ? "the narrowing query" : "match_all"}`);
          assert.equal(got.all!.buckets![`q${i}`]!.doc_count, expected, `filters bucket ${JSON.stringify(queries[i])}`);
        }
      }
    }
  });
});
