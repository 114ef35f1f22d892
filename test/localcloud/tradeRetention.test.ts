// The local cloud's trade retention: what is older than the retention goes (whole
// daily indices when all of their day is past it), what is newer stays, the
// deleted revisions are merged away, and candles are never touched.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@opensearch-project/opensearch";
import { startSearchServer, type SearchServer } from "@cryptoviz/local-search";
import { TradeRetention } from "../../localcloud/retention/TradeRetention.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
const HOUR = 3_600_000;

let dir: string;
let server: SearchServer;
let client: Client;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "retention-"));
  server = await startSearchServer({ port: 0, dataDir: dir });
  client = new Client({ node: server.url });
  await ensureTemplates(client, "cryptoviz-");
});
after(async () => {
  await client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function trade(n: number, time: number) {
  return { exchange: "binance", symbol: "BTCUSDT", base: "BTC", quote: "USDT", tradeId: String(n), side: "buy", time, receivedAt: time, price: 1, size: 1, quoteVolume: 1 };
}

async function counts(index: string): Promise<{ live: number; deleted: number }> {
  const { body } = await client.cat.indices({ format: "json", index });
  const [row] = body as unknown as Array<Record<string, string>>;
  return { live: Number(row!["docs.count"]), deleted: Number(row!["docs.deleted"]) };
}

describe("trade retention", () => {
  it("drops trades and per-second partials older than the retention, and nothing else", async () => {
    // Prepare: today's trades every minute for the last 3 h, two days ago's, a 1s partial either side of the cutoff, a candle.
    const today = "cryptoviz-trades-2026.12.06";
    const body: unknown[] = [];
    for (let m = 0; m < 180; m++) body.push({ create: { _index: today, _id: `t${m}` } }, trade(m, NOW - m * 60_000 - 1));
    for (let n = 0; n < 5; n++) body.push({ create: { _index: "cryptoviz-trades-2026.12.04", _id: `old${n}` } }, trade(1000 + n, Date.UTC(2026, 11, 4, 10) + n));
    const partial = (t: number) => ({ exchange: "binance", symbol: "BTCUSDT", timeframe: "1s", bucketStart: t, open: 1, high: 1, low: 1, close: 1, volume: 1, quoteVolume: 1, trades: 1, openTime: t, closeTime: t, updatedAt: t });
    body.push({ create: { _index: "cryptoviz-candles-1s-2026.12.06", _id: "p-old" } }, partial(NOW - 3 * HOUR));
    body.push({ create: { _index: "cryptoviz-candles-1s-2026.12.06", _id: "p-new" } }, partial(NOW - 10 * 60_000));
    body.push({ create: { _index: "cryptoviz-candles-1m-2026.12", _id: "c-old" } }, { ...partial(NOW - 5 * HOUR), timeframe: "1m" });
    // Social posts go with the same retention; their per-minute activity stays.
    const post = (t: number) => ({ source: "jetstream", postId: `p${t}`, authorId: "did:plc:a", authorHll: { register: 1, rank: 1 }, text: "$BTC", langs: [], hashtags: [], createdAt: new Date(t).toISOString(), receivedAt: new Date(t).toISOString(), coins: ["BTC"], sentiment: { label: "neutral", score: 0 }, ingestedAt: new Date(t).toISOString() });
    body.push({ create: { _index: "cryptoviz-social-posts-2026.12.06", _id: "s-old" } }, post(NOW - 3 * HOUR));
    body.push({ create: { _index: "cryptoviz-social-posts-2026.12.06", _id: "s-new" } }, post(NOW - 10 * 60_000));
    body.push({ create: { _index: "cryptoviz-social-activity-2026.12", _id: "BTC|old" } }, { coin: "BTC", bucketStart: NOW - 3 * HOUR, posts: 1, authors: 1, authorsHll: "s", positive: 0, negative: 0, neutral: 1, scoreSum: 0, meanScore: 0, updatedAt: NOW });
    const bulk = await client.bulk({ body: body as never, refresh: true });
    assert.equal(bulk.body.errors, false, JSON.stringify(bulk.body.items.find((i) => Object.values(i)[0]?.error)));

    // Act: a 2-hour retention at NOW.
    const retention = new TradeRetention({ searchUrl: server.url, retentionHours: 2, now: () => NOW });
    const pass = await retention.pass();
    await retention.stop();

    // Assess: minutes 0..119 stay (time > NOW − 2 h), 60 older ones go; the old day goes whole.
    assert.deepEqual(pass.droppedIndices, ["cryptoviz-trades-2026.12.04"]);
    assert.equal(pass.deletedDocuments, 60 + 1 + 1);
    const kept = await client.search({ index: today, body: { size: 0, aggs: { oldest: { min: { field: "time" } } } } as never });
    assert.equal((kept.body.hits.total as { value: number }).value, 120);
    assert.ok((kept.body.aggregations as { oldest: { value: number } }).oldest.value >= NOW - 2 * HOUR);
    assert.equal((await client.indices.exists({ index: "cryptoviz-trades-2026.12.04" })).body, false);
    assert.deepEqual((await client.search({ index: "cryptoviz-candles-1s-*", body: { query: { match_all: {} } } })).body.hits.hits.map((h) => h._id), ["p-new"]);
    assert.equal((await client.count({ index: "cryptoviz-candles-1m-*" })).body.count, 1, "candles are kept");
    assert.deepEqual((await client.search({ index: "cryptoviz-social-posts-*", body: { query: { match_all: {} } } })).body.hits.hits.map((h) => h._id), ["s-new"]);
    assert.equal((await client.count({ index: "cryptoviz-social-activity-*" })).body.count, 1, "social activity is kept");
    // The deleted revisions (a third of the trades index) were merged away.
    assert.ok(pass.compacted.includes(today));
    assert.deepEqual(await counts(today), { live: 120, deleted: 0 });
  });
});
