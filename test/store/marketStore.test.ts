// Integration: trades → candles, quotes, templates and bulk failures against
// the local OpenSearch-compatible endpoint (or a real cluster, OPENSEARCH_URL).
import type { Client } from "@opensearch-project/opensearch";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bulkWrite, failuresByKey } from "../../lib/store/bulkWrite.ts";
import { candlesQuery, hitSources } from "../../lib/store/candlesQuery.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { ConcurrentUpdateError, PermanentStoreError } from "../../lib/store/errors.ts";
import { quotesQuery } from "../../lib/store/quotesQuery.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";
import type { Candle, CandleDoc, Keyed, QuoteDoc, MarketTrade } from "../../lib/store/types.ts";
import { writeMarketBatch } from "../../lib/store/writeMarketBatch.ts";
import { tradeDoc, writeTrades } from "../../lib/store/writeTrades.ts";
import { candleDiff, genTrades, refCandles, TFS } from "./reference.ts";
import { openSearchTarget, type SearchTarget } from "./searchTarget.ts";

// Sunday 2024-12-29 22:00 UTC: the data crosses a day, a week (Monday), a month and a year.
const START = Date.parse("2024-12-29T22:00:00Z");
const NOW = () => Date.parse("2025-01-02T00:00:00Z");

async function readCandles(ctx: StoreContext<Client>): Promise<Map<string, Candle>> {
  await ctx.client.indices.refresh({ index: `${ctx.names.prefix}candles-*` });
  const out = new Map<string, Candle>();
  let searchAfter: unknown[] | undefined;
  for (;;) {
    const response = await ctx.client.search({
      index: `${ctx.names.prefix}candles-*`,
      body: {
        size: 5000,
        sort: [{ timeframe: "asc" }, { exchange: "asc" }, { symbol: "asc" }, { bucketStart: "asc" }],
        ...(searchAfter ? { search_after: searchAfter } : {}),
      } as never,
    });
    const hits = (response.body as { hits: { hits: { _id: string; _source: CandleDoc; sort: unknown[] }[] } }).hits.hits;
    for (const h of hits) {
      const { updatedAt: _u, ...candle } = h._source;
      if (candle.timeframe !== ("1s" as string)) out.set(h._id, candle); // internal per-second partials
    }
    if (hits.length < 5000) return out;
    searchAfter = hits[hits.length - 1]?.sort;
  }
}

function assertCandles(actual: Map<string, Candle>, trades: MarketTrade[]): void {
  const expected = refCandles(trades);
  const problems: string[] = [];
  for (const [id, want] of expected) {
    const got = actual.get(id);
    if (!got) problems.push(`missing ${id}`);
    else {
      const d = candleDiff(got, want);
      if (d) problems.push(`${id}: ${d}`);
    }
  }
  for (const id of actual.keys()) if (!expected.has(id)) problems.push(`unexpected ${id}`);
  assert.deepEqual(problems.slice(0, 10), [], `${problems.length} candle differences`);
}

const keyed = (trades: MarketTrade[], key: (t: MarketTrade, i: number) => string): Keyed<MarketTrade>[] =>
  trades.map((item, i) => ({ key: key(item, i), item }));

describe("market store (integration)", () => {
  let target: SearchTarget;
  before(async () => {
    target = await openSearchTarget();
  });
  after(async () => {
    await target?.close();
  });

  test("templates are installed idempotently and shape new indices", async () => {
    const { context } = target.withPrefix("tpl");
    const ctx = context(NOW);
    const names = await ensureTemplates(ctx.client, ctx.names.prefix);
    await ensureTemplates(ctx.client, ctx.names.prefix);
    assert.equal(names.length, 9, "one template per kind: trades, candles, quotes, listings, news, sentiment, social-posts, social-activity, completeness");
    const got = await ctx.client.indices.getIndexTemplate({ name: `${ctx.names.prefix}*` });
    const listed = ((got.body as { index_templates: { name: string }[] }).index_templates ?? []).map((t) => t.name).sort();
    assert.deepEqual(listed, [...names].sort());
    const result = await writeMarketBatch(ctx, { trades: [{ key: "k", item: genTrades({ seed: 9, count: 1, start: START, spanMs: 1000 })[0] as MarketTrade }] });
    assert.equal(result.failed.size, 0);
    const index = ctx.names.trades(START);
    const mapping = await ctx.client.indices.getMapping({ index });
    const props = (mapping.body as Record<string, { mappings: { dynamic?: unknown; properties: Record<string, { type: string }> } }>)[index]?.mappings;
    assert.equal(props?.properties.price?.type, "double");
    assert.equal(props?.properties.tradeId?.type, "keyword");
    assert.equal(String(props?.dynamic), "strict");
  });

  test("a trade batch written twice gives the same candles, equal to an independent computation (8 timeframes, both scopes)", async () => {
    const { context } = target.withPrefix("twice");
    const ctx = context(NOW);
    await ensureTemplates(ctx.client, ctx.names.prefix);
    const trades = genTrades({ seed: 11, count: 600, start: START, spanMs: 3 * 3_600_000 });
    // A day/week/month/year boundary right inside the data.
    trades.push(...genTrades({ seed: 12, count: 60, start: Date.parse("2024-12-31T23:58:00Z"), spanMs: 240_000 }));
    const batch = keyed(trades, (_t, i) => `m${Math.floor(i / 50)}`);

    const first = await writeMarketBatch(ctx, { trades: batch });
    assert.equal(first.failed.size, 0, [...first.failed.values()].map((e) => e.reason).join("\n"));
    assert.equal(first.stats.tradesCreated, trades.length);
    const afterFirst = await readCandles(ctx);
    assertCandles(afterFirst, trades);
    for (const tf of TFS) {
      assert.ok([...afterFirst.values()].some((c) => c.timeframe === tf && c.exchange === "all"), `all ${tf}`);
      assert.ok([...afterFirst.values()].some((c) => c.timeframe === tf && c.exchange === "binance"), `binance ${tf}`);
    }

    const second = await writeMarketBatch(ctx, { trades: batch }); // redelivery of the whole batch
    assert.equal(second.failed.size, 0);
    assert.equal(second.stats.tradesCreated, 0);
    assert.equal(second.stats.tradesDuplicate, trades.length);
    const afterSecond = await readCandles(ctx);
    if (process.env.OPENSEARCH_URL) {
      // A real cluster may sum in another order after segment merges: equal up to rounding.
      assert.deepEqual([...afterSecond.keys()].sort(), [...afterFirst.keys()].sort());
      for (const [id, c] of afterSecond) assert.equal(candleDiff(c, afterFirst.get(id) as Candle), undefined, id);
    } else {
      assert.equal(second.stats.candlesWritten, 0, "nothing changed, nothing rewritten");
      assert.deepEqual(afterSecond, afterFirst);
    }

    // Duplicated trades inside one batch and across records count once.
    const dup = keyed([...trades.slice(0, 30), ...trades.slice(0, 30)], (_t, i) => `d${i}`);
    const third = await writeMarketBatch(ctx, { trades: dup });
    assert.equal(third.failed.size, 0);
    assertCandles(await readCandles(ctx), trades);

    // The read-side query returns them in order.
    const q = candlesQuery(ctx.names, { symbol: "BTCUSDT", timeframe: "1h", from: START, to: START + 3 * 3_600_000 });
    const hourly = hitSources<CandleDoc>((await ctx.client.search({ index: q.index, body: q.body as never })).body as never);
    const want = [...refCandles(trades).values()]
      .filter((c) => c.exchange === "all" && c.symbol === "BTCUSDT" && c.timeframe === "1h" && c.bucketStart < START + 3 * 3_600_000)
      .sort((a, b) => a.bucketStart - b.bucketStart);
    assert.deepEqual(hourly.map((c) => [c.bucketStart, c.trades]), want.map((c) => [c.bucketStart, c.trades]));
  });

  test("concurrent writers with overlapping and distinct trades in the same minutes neither lose nor double-count", async () => {
    const { context } = target.withPrefix("race");
    const ctx = context(NOW);
    await ensureTemplates(ctx.client, ctx.names.prefix);
    const all: MarketTrade[] = [];
    let conflicts = 0;
    const retried: Keyed<MarketTrade>[] = [];
    for (let round = 0; round < 16; round++) {
      const minute = START + 30 * 60_000 + round * 60_000;
      const trades = genTrades({ seed: 100 + round, count: 40, start: minute, spanMs: 60_000, exchanges: ["binance", "kucoin"], symbols: ["BTCUSDT"] });
      all.push(...trades);
      const a = keyed(trades.slice(0, 26), (_t, i) => `a${round}-${i % 4}`);
      const b = keyed(trades.slice(14), (_t, i) => `b${round}-${i % 4}`);
      const c = keyed(trades.filter((_t, i) => i % 3 === 0), (_t, i) => `c${round}-${i % 4}`);
      const results = await Promise.all([writeMarketBatch(ctx, { trades: a }), writeMarketBatch(ctx, { trades: b }), writeMarketBatch(ctx, { trades: c })]);
      for (const [r, batch] of [[results[0], a], [results[1], b], [results[2], c]] as const) {
        conflicts += r?.stats.candleConflicts ?? 0;
        for (const key of r?.failed.keys() ?? []) retried.push(...batch.filter((t) => t.key === key));
      }
    }
    // What SQS would do with failed records: deliver them again.
    if (retried.length > 0) {
      const again = await writeMarketBatch(ctx, { trades: retried });
      assert.equal(again.failed.size, 0);
    }
    assertCandles(await readCandles(ctx), all);
    console.log(`# concurrent writers: ${conflicts} optimistic-concurrency conflicts resolved, ${retried.length} trades redelivered`);
  });

  test("a consumer that stored trades and died before the candles: redelivery completes them", async () => {
    const { context } = target.withPrefix("crash");
    const ctx = context(NOW);
    await ensureTemplates(ctx.client, ctx.names.prefix);
    const trades = genTrades({ seed: 21, count: 120, start: START, spanMs: 120_000 });
    const batch = keyed(trades, (_t, i) => `k${i % 6}`);
    const partial = await writeTrades(ctx, batch.slice(0, 80)); // ...and the process is killed here
    assert.equal(partial.failed.size, 0);
    const redelivered = await writeMarketBatch(ctx, { trades: batch });
    assert.equal(redelivered.failed.size, 0);
    assert.equal(redelivered.stats.tradesDuplicate, 80);
    assertCandles(await readCandles(ctx), trades);
  });

  test("writers that give up on a conflict fail only their records, and redelivery converges", async () => {
    const { config } = target.withPrefix("giveup");
    const ctx = createStoreContext(target.client, { ...config, occMaxAttempts: 1 }, NOW);
    await ensureTemplates(ctx.client, ctx.names.prefix);
    const all: MarketTrade[] = [];
    let pending: Keyed<MarketTrade>[][] = [];
    for (let round = 0; round < 6; round++) {
      const trades = genTrades({ seed: 300 + round, count: 30, start: START + round * 1000, spanMs: 1000, exchanges: ["binance"], symbols: ["ETHUSDT"] });
      all.push(...trades);
      pending.push(keyed(trades.slice(0, 20), (_t, i) => `x${round}-${i % 2}`), keyed(trades.slice(10), (_t, i) => `y${round}-${i % 2}`));
    }
    let failures = 0;
    for (let delivery = 0; pending.length > 0 && delivery < 20; delivery++) {
      const results = await Promise.all(pending.map((b) => writeMarketBatch(ctx, { trades: b })));
      const next: Keyed<MarketTrade>[][] = [];
      results.forEach((r, i) => {
        for (const e of r.failed.values()) assert.ok(e instanceof ConcurrentUpdateError, e.reason);
        failures += r.failed.size;
        const again = (pending[i] ?? []).filter((t) => r.failed.has(t.key));
        if (again.length > 0) next.push(again);
      });
      pending = next;
    }
    assert.equal(pending.length, 0, "redelivery converged");
    assertCandles(await readCandles(ctx), all);
    console.log(`# single-attempt writers: ${failures} records failed with ConcurrentUpdateError and were redelivered`);
  });

  test("an older quote after a newer one leaves the newer; a retried quote is a no-op", async () => {
    const { context } = target.withPrefix("quotes");
    const ctx = context(NOW);
    await ensureTemplates(ctx.client, ctx.names.prefix);
    const q = (at: number, bid: number, exchange = "binance"): QuoteDoc => ({ exchange, symbol: "BTCUSDT", bid, ask: bid + 1, at });
    const t0 = START;
    const r1 = await writeMarketBatch(ctx, { quotes: [{ key: "q1", item: q(t0 + 2000, 200) }] });
    assert.equal(r1.quotes.length, 1);
    const r2 = await writeMarketBatch(ctx, { quotes: [{ key: "q2", item: q(t0 + 1000, 100) }] });
    assert.equal(r2.failed.size, 0);
    assert.equal(r2.quotes.length, 0);
    assert.equal(r2.stats.quotesStale, 1);
    const r3 = await writeMarketBatch(ctx, { quotes: [{ key: "q1", item: q(t0 + 2000, 200) }] });
    assert.equal(r3.failed.size, 0);
    // In one batch, out of order, two exchanges.
    const r4 = await writeMarketBatch(ctx, {
      quotes: [
        { key: "q3", item: q(t0 + 5000, 500, "kucoin") },
        { key: "q4", item: q(t0 + 4000, 400, "kucoin") },
        { key: "q5", item: q(t0 + 3000, 300) },
      ],
    });
    assert.equal(r4.failed.size, 0);
    await ctx.client.indices.refresh({ index: ctx.names.quotes() });
    const query = quotesQuery(ctx.names, { symbol: "BTCUSDT" });
    const quotes = hitSources<QuoteDoc>((await ctx.client.search({ index: query.index, body: query.body as never })).body as never);
    assert.deepEqual(quotes.map((x) => [x.exchange, x.bid, x.at]), [["binance", 300, t0 + 3000], ["kucoin", 500, t0 + 5000]]);
  });

  test("a bulk with one bad item fails only that record's key; the others are stored", async () => {
    const { context } = target.withPrefix("bad");
    const ctx = context(NOW);
    await ensureTemplates(ctx.client, ctx.names.prefix);
    const trades = genTrades({ seed: 5, count: 5, start: START, spanMs: 10_000 });
    const index = ctx.names.trades(START);
    const ops = trades.map((t, i) => ({
      action: "create" as const,
      index,
      id: `id${i}`,
      doc: i === 2 ? { ...tradeDoc(t), price: "not a number" } : tradeDoc(t),
      keys: [`rec${i}`],
    }));
    const results = await bulkWrite(ctx.client, ops);
    const failed = failuresByKey(results);
    assert.deepEqual([...failed.keys()], ["rec2"]);
    assert.ok(failed.get("rec2") instanceof PermanentStoreError);
    assert.equal(failed.get("rec2")?.type, "mapper_parsing_exception");
    await ctx.client.indices.refresh({ index });
    const count = await ctx.client.count({ index });
    assert.equal((count.body as { count: number }).count, 4);

    // Through the market writer: an invalid trade fails its record before anything is sent, the rest is stored.
    const good = genTrades({ seed: 6, count: 3, start: START, spanMs: 10_000 });
    const bad: MarketTrade = { ...(good[0] as MarketTrade), tradeId: "x1", price: Number.NaN };
    const r = await writeMarketBatch(ctx, {
      trades: [{ key: "ok1", item: good[0] as MarketTrade }, { key: "bad", item: bad }, { key: "ok2", item: good[1] as MarketTrade }],
    });
    assert.deepEqual([...r.failed.keys()], ["bad"]);
    assert.ok(r.failed.get("bad") instanceof PermanentStoreError);
    assert.equal(r.stats.tradesCreated, 2);
  });
});
