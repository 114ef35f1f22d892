// Contract: aggregations against values computed in the test — date_histogram
// (fixed and calendar intervals, gaps, bounds, time zones), terms (size, order,
// other counts), metrics, top_hits, filter(s), range and nesting.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { approx, failure, indexAll, startTarget, type Target } from "./target.ts";
import { type Doc, makeDocs, MAPPINGS, ms } from "./fixtures.ts";

let t: Target;
let index: string;
const data = makeDocs(500, 1234);
const docs = data.map((d) => d.doc);

before(async () => {
  t = await startTarget();
  index = t.name("aggs");
  await t.client.indices.create({ index, body: { mappings: MAPPINGS } });
  await indexAll(t.client, index, data as unknown as { id: string; doc: Record<string, unknown> }[]);
});
after(async () => {
  await t.close();
});

type Bucket = { key: number | string; key_as_string?: string; doc_count: number; [k: string]: unknown };

async function aggs(body: Record<string, unknown>, query?: unknown): Promise<Record<string, any>> {
  const r = await t.client.search({ index, body: { size: 0, ...(query ? { query } : {}), aggs: body } as never });
  assert.deepEqual(r.body.hits.hits, []);
  return r.body.aggregations as Record<string, any>;
}

function countBy<T>(items: T[], key: (x: T) => number | string): Map<number | string, T[]> {
  const m = new Map<number | string, T[]>();
  for (const x of items) {
    const k = key(x);
    const l = m.get(k);
    if (l) l.push(x);
    else m.set(k, [x]);
  }
  return m;
}

function stats(list: Doc[]): { min: number | null; max: number | null; sum: number; count: number } {
  const prices = list.map((d) => d.price).filter((p): p is number => p !== undefined);
  return {
    min: prices.length ? Math.min(...prices) : null,
    max: prices.length ? Math.max(...prices) : null,
    sum: prices.reduce((a, b) => a + b, 0),
    count: prices.length,
  };
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

describe("date_histogram", () => {
  it("fixed 1h buckets fill empty hours between the first and last document, with metric sub-aggregations", async () => {
    const a = await aggs({ h: { date_histogram: { field: "at", fixed_interval: "1h" }, aggs: { lo: { min: { field: "price" } }, hi: { max: { field: "price" } }, vol: { sum: { field: "price" } }, n: { value_count: { field: "price" } } } } });
    const groups = countBy(docs, (d) => Math.floor(ms(d.at) / HOUR) * HOUR);
    const keys = [...groups.keys()].map(Number);
    const first = Math.min(...keys);
    const last = Math.max(...keys);
    const buckets = a.h.buckets as Bucket[];
    assert.equal(buckets.length, (last - first) / HOUR + 1);
    buckets.forEach((b, i) => {
      assert.equal(b.key, first + i * HOUR);
      assert.equal(b.key_as_string, new Date(first + i * HOUR).toISOString());
      const list = groups.get(b.key as number) ?? [];
      assert.equal(b.doc_count, list.length);
      const s = stats(list);
      assert.equal((b.lo as { value: number | null }).value, s.min);
      assert.equal((b.hi as { value: number | null }).value, s.max);
      assert.ok(approx((b.vol as { value: number }).value, s.sum), `sum ${b.key}`);
      assert.equal((b.n as { value: number }).value, s.count);
    });
  });

  it("calendar month and week (weeks start on Monday) with min_doc_count 1", async () => {
    const a = await aggs({
      m: { date_histogram: { field: "at", calendar_interval: "month" } },
      w: { date_histogram: { field: "at", calendar_interval: "week", min_doc_count: 1 } },
    });
    const monthKey = (d: Doc): number => {
      const x = new Date(ms(d.at));
      return Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), 1);
    };
    const months = countBy(docs, monthKey);
    assert.deepEqual((a.m.buckets as Bucket[]).map((b) => [b.key, b.doc_count]), [...months.entries()].sort((x, y) => Number(x[0]) - Number(y[0])).map(([k, l]) => [k, l.length]));
    const weekKey = (d: Doc): number => {
      const day = Math.floor(ms(d.at) / DAY);
      const dow = (new Date(day * DAY).getUTCDay() + 6) % 7;
      return (day - dow) * DAY;
    };
    const weeks = countBy(docs, weekKey);
    const got = (a.w.buckets as Bucket[]).map((b) => [b.key, b.doc_count]);
    assert.deepEqual(got, [...weeks.entries()].sort((x, y) => Number(x[0]) - Number(y[0])).map(([k, l]) => [k, l.length]));
    for (const [k] of got) assert.equal(new Date(k as number).getUTCDay(), 1);
  });

  it("extended_bounds add empty buckets outside the data; a time zone shifts day boundaries", async () => {
    const lo = Date.UTC(2024, 0, 20);
    const hi = Date.UTC(2024, 2, 31);
    const a = await aggs({
      d: { date_histogram: { field: "at", calendar_interval: "day", extended_bounds: { min: "2024-01-20", max: "2024-03-31" } } },
      tz: { date_histogram: { field: "at", calendar_interval: "day", time_zone: "+01:00", min_doc_count: 1 } },
    });
    const d = a.d.buckets as Bucket[];
    const lastData = Math.max(...docs.map((x) => Math.floor(ms(x.at) / DAY) * DAY));
    assert.equal(d[0]!.key, lo);
    assert.equal(d[d.length - 1]!.key, Math.max(hi, lastData));
    assert.equal(d.length, (Math.max(hi, lastData) - lo) / DAY + 1);
    assert.equal(d.reduce((n, b) => n + b.doc_count, 0), docs.length);
    const shifted = countBy(docs, (x) => Math.floor((ms(x.at) + HOUR) / DAY) * DAY - HOUR);
    const tz = a.tz.buckets as Bucket[];
    assert.deepEqual(tz.map((b) => [b.key, b.doc_count]), [...shifted.entries()].sort((x, y) => Number(x[0]) - Number(y[0])).map(([k, l]) => [k, l.length]));
    assert.match(tz[0]!.key_as_string!, /T00:00:00\.000\+01:00$/);
  });

  it("formats keys with the given format", async () => {
    const a = await aggs({ m: { date_histogram: { field: "at", calendar_interval: "1M", format: "yyyy-MM" } } });
    for (const b of a.m.buckets as Bucket[]) assert.equal(b.key_as_string, new Date(b.key as number).toISOString().slice(0, 7));
  });
});

describe("terms", () => {
  it("returns the top N by count with sum_other_doc_count, ties broken by key", async () => {
    const a = await aggs({ s: { terms: { field: "symbol", size: 3 } } });
    const counts = [...countBy(docs, (d) => d.symbol).entries()].map(([k, l]) => [k, l.length] as [string, number]);
    counts.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    assert.deepEqual((a.s.buckets as Bucket[]).map((b) => [b.key, b.doc_count]), counts.slice(0, 3));
    assert.equal(a.s.sum_other_doc_count, counts.slice(3).reduce((n, c) => n + c[1], 0));
    assert.equal(a.s.doc_count_error_upper_bound, 0);
  });

  it("orders by key and by a sub-aggregation metric", async () => {
    const a = await aggs({
      byKey: { terms: { field: "exchange", order: { _key: "desc" } } },
      byVol: { terms: { field: "symbol", order: { vol: "desc" } }, aggs: { vol: { sum: { field: "qty" } } } },
    });
    assert.deepEqual((a.byKey.buckets as Bucket[]).map((b) => b.key), ["kucoin", "bitmex", "binance"]);
    const sums = [...countBy(docs, (d) => d.symbol).entries()].map(([k, l]) => [k, l.reduce((n, d) => n + d.qty, 0)] as [string, number]);
    sums.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    assert.deepEqual((a.byVol.buckets as Bucket[]).map((b) => [b.key, (b.vol as { value: number }).value]), sums);
  });

  it("counts multi-valued keywords once per document and numeric terms by value", async () => {
    const a = await aggs({ tags: { terms: { field: "tags", size: 10 } }, qty: { terms: { field: "qty", size: 5, order: { _key: "asc" } } } });
    const tagCounts = new Map<string, number>();
    for (const d of docs) for (const tg of d.tags) tagCounts.set(tg, (tagCounts.get(tg) ?? 0) + 1);
    const want = [...tagCounts.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    assert.deepEqual((a.tags.buckets as Bucket[]).map((b) => [b.key, b.doc_count]), want);
    const qtys = [...countBy(docs, (d) => d.qty).entries()].sort((x, y) => Number(x[0]) - Number(y[0])).slice(0, 5);
    assert.deepEqual((a.qty.buckets as Bucket[]).map((b) => [b.key, b.doc_count]), qtys.map(([k, l]) => [k, l.length]));
  });
});

describe("metrics", () => {
  it("min, max, sum, avg, value_count, cardinality and stats over a filtered query", async () => {
    const query = { bool: { filter: [{ term: { exchange: "binance" } }] } };
    const a = await aggs(
      {
        lo: { min: { field: "price" } },
        hi: { max: { field: "price" } },
        total: { sum: { field: "price" } },
        mean: { avg: { field: "price" } },
        n: { value_count: { field: "price" } },
        syms: { cardinality: { field: "symbol" } },
        st: { stats: { field: "qty" } },
        first: { min: { field: "at" } },
      },
      query,
    );
    const list = docs.filter((d) => d.exchange === "binance");
    const s = stats(list);
    assert.equal(a.lo.value, s.min);
    assert.equal(a.hi.value, s.max);
    assert.ok(approx(a.total.value, s.sum));
    assert.ok(approx(a.mean.value, s.sum / s.count));
    assert.equal(a.n.value, s.count);
    assert.equal(a.syms.value, new Set(list.map((d) => d.symbol)).size);
    const q = list.map((d) => d.qty);
    assert.equal(a.st.count, q.length);
    assert.equal(a.st.min, Math.min(...q));
    assert.equal(a.st.max, Math.max(...q));
    assert.equal(a.st.sum, q.reduce((x, y) => x + y, 0));
    const firstAt = Math.min(...list.map((d) => ms(d.at)));
    assert.equal(a.first.value, firstAt);
    assert.equal(a.first.value_as_string, new Date(firstAt).toISOString());
  });

  it("reports empty metrics as null (min/max/avg) and 0 (sum/value_count)", async () => {
    const a = await aggs({ lo: { min: { field: "price" } }, total: { sum: { field: "price" } }, mean: { avg: { field: "price" } }, n: { value_count: { field: "price" } } }, { term: { symbol: "NONE" } });
    assert.equal(a.lo.value, null);
    assert.equal(a.total.value, 0);
    assert.equal(a.mean.value, null);
    assert.equal(a.n.value, 0);
  });
});

describe("bucket aggregations and nesting", () => {
  it("top_hits returns the best documents per bucket", async () => {
    const a = await aggs({ s: { terms: { field: "symbol", size: 6 }, aggs: { top: { top_hits: { size: 2, sort: [{ qty: "desc" }, { seq: "asc" }], _source: ["qty", "seq"] } } } } });
    for (const b of a.s.buckets as Bucket[]) {
      const want = docs.filter((d) => d.symbol === b.key).sort((x, y) => y.qty - x.qty || x.seq - y.seq).slice(0, 2);
      const hits = (b.top as { hits: { total: { value: number }; hits: { _source: { qty: number; seq: number } }[] } }).hits;
      assert.equal(hits.total.value, b.doc_count);
      assert.deepEqual(hits.hits.map((h) => h._source), want.map((d) => ({ qty: d.qty, seq: d.seq })));
    }
  });

  it("top_hits pages with from, sorts ascending, and counts every document of the bucket", async () => {
    const a = await aggs({ s: { terms: { field: "exchange", size: 10 }, aggs: { top: { top_hits: { from: 3, size: 4, sort: [{ qty: "asc" }, { seq: "desc" }], _source: ["seq"] } } } } });
    for (const b of a.s.buckets as Bucket[]) {
      const want = docs.filter((d) => d.exchange === b.key).sort((x, y) => x.qty - y.qty || y.seq - x.seq).slice(3, 7);
      const hits = (b.top as { hits: { total: { value: number }; hits: { _source: { seq: number } }[] } }).hits;
      assert.equal(hits.total.value, b.doc_count);
      assert.deepEqual(hits.hits.map((h) => h._source.seq), want.map((d) => d.seq));
    }
    const none = await aggs({ top: { top_hits: { size: 0 } } });
    assert.deepEqual([none.top.hits.total.value, none.top.hits.hits], [docs.length, []]);
  });

  it("top_hits breaks ties on a keyword in UTF-8 byte order, within one index and across indices", async () => {
    // The candles' open/close sort: time, then a keyword id. Few distinct numbers
    // (many ties) and terms whose UTF-16 order differs from their byte order.
    const prefixes = ["a", "B", "é", "\uFFFDx", "\u{1F600}", "\uE000", "z", ""];
    let seed = 99;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: `k${i}`, doc: { q: Math.floor(rand() * 4), tag: `${prefixes[Math.floor(rand() * prefixes.length)]}${i}` } }));
    const [a, b] = [t.name("tiebreak-a"), t.name("tiebreak-b")];
    for (const name of [a, b]) await t.client.indices.create({ index: name, body: { mappings: { properties: { q: { type: "long" }, tag: { type: "keyword" } } } } });
    await indexAll(t.client, a, rows.filter((_, i) => i % 3 !== 0));
    await indexAll(t.client, b, rows.filter((_, i) => i % 3 === 0));
    const bytes = (x: string, y: string) => Buffer.compare(Buffer.from(x), Buffer.from(y));
    const cases = [
      { sort: [{ q: "desc" }, { tag: "asc" }], from: 0, size: 5, order: (x: typeof rows[0]["doc"], y: typeof rows[0]["doc"]) => y.q - x.q || bytes(x.tag, y.tag) },
      { sort: [{ q: "asc" }, { tag: "desc" }], from: 2, size: 7, order: (x: typeof rows[0]["doc"], y: typeof rows[0]["doc"]) => x.q - y.q || bytes(y.tag, x.tag) },
    ];
    for (const target of [a, `${a},${b}`]) {
      const docsIn = rows.filter((_, i) => target.includes(",") || i % 3 !== 0).map((r) => r.doc);
      for (const c of cases) {
        const r = await t.client.search({ index: target, body: { size: 0, aggs: { top: { top_hits: { from: c.from, size: c.size, sort: c.sort, _source: ["tag"] } } } } as never });
        const hits = (r.body.aggregations as any).top.hits.hits as { _source: { tag: string }; sort: unknown[] }[];
        const want = [...docsIn].sort(c.order).slice(c.from, c.from + c.size);
        assert.deepEqual(hits.map((h) => h._source.tag), want.map((d) => d.tag), `${target} ${JSON.stringify(c.sort)}`);
        assert.deepEqual(hits.map((h) => h.sort), want.map((d) => [d.q, d.tag]));
      }
    }
  });

  it("filter aggregations under a narrow query count only the query's documents (the filters see just those)", async () => {
    // A query matching a few percent of the index: the filters are evaluated on its
    // documents only; each count must still equal an independent computation.
    const seqs = docs.map((d) => d.seq).sort((x, y) => x - y);
    const lo = seqs[200]!;
    const hi = seqs[215]!;
    const inQuery = docs.filter((d) => d.seq >= lo && d.seq <= hi);
    const a = await aggs(
      {
        btc: { filter: { term: { symbol: "BTC" } }, aggs: { q: { sum: { field: "qty" } } } },
        cheapOrEtf: { filter: { bool: { should: [{ range: { price: { lt: 100 } } }, { terms: { tags: ["etf", "hack"] } }], minimum_should_match: 1 } } },
        notKucoin: { filter: { bool: { must_not: [{ term: { exchange: "kucoin" } }] } } },
        byEx: { filters: { filters: { bin: { term: { exchange: "binance" } }, qty: { range: { qty: { gte: 50 } } } } } },
      },
      { range: { seq: { gte: lo, lte: hi } } },
    );
    const btc = inQuery.filter((d) => d.symbol === "BTC");
    assert.equal(a.btc.doc_count, btc.length);
    assert.equal(a.btc.q.value, btc.reduce((n, d) => n + d.qty, 0));
    assert.equal(a.cheapOrEtf.doc_count, inQuery.filter((d) => (d.price !== undefined && d.price < 100) || d.tags.some((x) => x === "etf" || x === "hack")).length);
    assert.equal(a.notKucoin.doc_count, inQuery.filter((d) => d.exchange !== "kucoin").length);
    assert.equal(a.byEx.buckets.bin.doc_count, inQuery.filter((d) => d.exchange === "binance").length);
    assert.equal(a.byEx.buckets.qty.doc_count, inQuery.filter((d) => d.qty >= 50).length);
    assert.ok(inQuery.length * 4 < docs.length, "the query is narrow enough for the filters to scan only its documents");
  });

  it("filter and filters aggregations count matching documents and carry sub-aggregations", async () => {
    const a = await aggs({
      cheap: { filter: { range: { price: { lt: 100 } } }, aggs: { q: { sum: { field: "qty" } } } },
      ex: { filters: { filters: { bin: { term: { exchange: "binance" } }, ku: { term: { exchange: "kucoin" } } } } },
    });
    const cheap = docs.filter((d) => d.price !== undefined && d.price < 100);
    assert.equal(a.cheap.doc_count, cheap.length);
    assert.equal(a.cheap.q.value, cheap.reduce((n, d) => n + d.qty, 0));
    assert.equal(a.ex.buckets.bin.doc_count, docs.filter((d) => d.exchange === "binance").length);
    assert.equal(a.ex.buckets.ku.doc_count, docs.filter((d) => d.exchange === "kucoin").length);
  });

  it("range aggregation buckets numbers into [from, to)", async () => {
    const a = await aggs({ r: { range: { field: "qty", ranges: [{ to: 25 }, { from: 25, to: 75 }, { from: 75 }] } } });
    const b = a.r.buckets as Bucket[];
    assert.deepEqual(b.map((x) => x.doc_count), [docs.filter((d) => d.qty < 25).length, docs.filter((d) => d.qty >= 25 && d.qty < 75).length, docs.filter((d) => d.qty >= 75).length]);
  });

  it("nests terms > date_histogram > sum", async () => {
    const a = await aggs({ ex: { terms: { field: "exchange" }, aggs: { days: { date_histogram: { field: "at", calendar_interval: "day", min_doc_count: 1 }, aggs: { q: { sum: { field: "qty" } } } } } } });
    for (const eb of a.ex.buckets as Bucket[]) {
      const list = docs.filter((d) => d.exchange === eb.key);
      const byDay = countBy(list, (d) => Math.floor(ms(d.at) / DAY) * DAY);
      const want = [...byDay.entries()].sort((x, y) => Number(x[0]) - Number(y[0])).map(([k, l]) => [k, l.length, l.reduce((n, d) => n + d.qty, 0)]);
      const got = ((eb.days as { buckets: Bucket[] }).buckets).map((b) => [b.key, b.doc_count, (b.q as { value: number }).value]);
      assert.deepEqual(got, want);
    }
  });
});

describe("more bucket aggregations", () => {
  it("histogram, missing and a post_filter that narrows hits but not aggregations", async () => {
    const r = await t.client.search({
      index,
      body: {
        size: 500,
        _source: false,
        post_filter: { term: { symbol: "BTC" } },
        aggs: { h: { histogram: { field: "qty", interval: 20 } }, noPrice: { missing: { field: "price" } }, all: { value_count: { field: "seq" } } },
      } as never,
    });
    const a = r.body.aggregations as Record<string, any>;
    assert.equal(a.all.value, docs.length);
    assert.deepEqual(r.body.hits.hits.map((h) => h._id).sort(), data.filter((d) => d.doc.symbol === "BTC").map((d) => d.id).sort());
    const byBucket = countBy(docs, (d) => Math.floor(d.qty / 20) * 20);
    const keys = [...byBucket.keys()].map(Number).sort((x, y) => x - y);
    const want: [number, number][] = [];
    for (let k = keys[0]!; k <= keys[keys.length - 1]!; k += 20) want.push([k, byBucket.get(k)?.length ?? 0]);
    assert.deepEqual((a.h.buckets as Bucket[]).map((b) => [b.key, b.doc_count]), want);
    assert.equal(a.noPrice.doc_count, docs.filter((d) => d.price === undefined).length);
  });
});

describe("aggregation errors", () => {
  it("rejects unknown aggregation types with 400", async () => {
    const f = await failure(t.client.search({ index, body: { aggs: { x: { no_such_agg: { field: "qty" } } } } as never }));
    assert.equal(f.status, 400);
  });

  it("refuses terms on a text field with 400", async () => {
    const f = await failure(t.client.search({ index, body: { size: 0, aggs: { x: { terms: { field: "title" } } } } as never }));
    assert.equal(f.status, 400);
    assert.equal(f.rootType, "illegal_argument_exception");
  });

  it("refuses a calendar interval that is not one", async () => {
    const f = await failure(t.client.search({ index, body: { size: 0, aggs: { x: { date_histogram: { field: "at", calendar_interval: "2d" } } } } as never }));
    assert.equal(f.status, 400);
  });
});
