import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startMarketSimulator, type MarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";
import { waitFor } from "../helpers/waitFor.ts";

// The simulator's REST side answers in the exchanges' documented shapes
// (binance-spot-api-docs rest-api.md, Kucoin "Get Trade Histories", BitMEX Trade_get),
// from the same seeded market its websockets stream.
describe("market simulator REST", () => {
  let sim: MarketSimulator;
  const get = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
  };
  before(async () => {
    sim = await startMarketSimulator({ port: 0, seed: "rest", runId: 3, symbols: ["BTC-USDT"], tradesPerSecond: 400, restLimits: { binance: { weight: 100, perMs: 60_000 } } });
    await get(`${sim.urls.kucoinRest}/api/v1/market/histories?symbol=BTC-USDT`);
    await get(`${sim.urls.bitmexRest}/api/v1/trade?symbol=XBTUSDT`);
    await get(`${sim.urls.binanceRest}/api/v3/trades?symbol=BTCUSDT&limit=1`); // 25 of the 100 weight
    await waitFor("some history", () => (sim.stats().tradesGeneratedBy["binance:BTCUSDT"] ?? 0) > 300);
  });
  after(() => sim.close());

  it("Binance: historicalTrades pages by fromId in the documented shape; the weight limit answers 429 with Retry-After", async () => {
    const first = await get(`${sim.urls.binanceRest}/api/v3/historicalTrades?symbol=BTCUSDT&fromId=3000000000&limit=100`);
    const rows = first.body as Array<Record<string, unknown>>;
    assert.equal(first.status, 200);
    assert.equal(rows.length, 100);
    assert.deepEqual(Object.keys(rows[0]!).sort(), ["id", "isBestMatch", "isBuyerMaker", "price", "qty", "quoteQty", "time"]);
    assert.deepEqual(rows.map((r) => r.id), Array.from({ length: 100 }, (_, i) => 3_000_000_000 + i), "consecutive ids from fromId");
    const next = await get(`${sim.urls.binanceRest}/api/v3/historicalTrades?symbol=BTCUSDT&fromId=3000000100&limit=2`);
    assert.deepEqual((next.body as Array<{ id: number }>).map((r) => r.id), [3_000_000_100, 3_000_000_101]);
    const bad = await get(`${sim.urls.binanceRest}/api/v3/trades?symbol=NOPE&limit=1`);
    assert.deepEqual([bad.status, (bad.body as { code: number }).code], [400, -1121]);
    // 25 + 25 + 25 + 25 used: the next call is over the configured 100 a minute.
    const limited = await get(`${sim.urls.binanceRest}/api/v3/trades?symbol=BTCUSDT&limit=1`);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
    assert.equal(sim.stats().rest.binance.limited, 1);
  });

  it("Kucoin: market/histories answers the last 100 trades with their sequence", async () => {
    const { body } = await get(`${sim.urls.kucoinRest}/api/v1/market/histories?symbol=BTC-USDT`);
    const { code, data } = body as { code: string; data: Array<{ sequence: string; price: string; size: string; side: string; time: number }> };
    assert.equal(code, "200000");
    assert.equal(data.length, 100);
    assert.deepEqual(Object.keys(data[0]!).sort(), ["price", "sequence", "side", "size", "time"]);
    const seqs = data.map((d) => Number(d.sequence));
    assert.ok(seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1), "consecutive sequences, oldest first");
    assert.ok(data[0]!.time > 1e18, "time in nanoseconds");
  });

  it("BitMEX: trade by time range, paged with start/count, newest first with reverse", async () => {
    const latest = (await get(`${sim.urls.bitmexRest}/api/v1/trade?symbol=XBTUSDT&reverse=true&count=1`)).body as Array<{ timestamp: string; trdMatchID: string }>;
    const end = latest[0]!.timestamp;
    const startTime = new Date(Date.parse(end) - 300).toISOString();
    const page = async (start: number) =>
      (await get(`${sim.urls.bitmexRest}/api/v1/trade?symbol=XBTUSDT&startTime=${startTime}&endTime=${end}&count=20&start=${start}`)).body as Array<{ timestamp: string; trdMatchID: string }>;
    const pages: Array<{ timestamp: string; trdMatchID: string }> = [];
    for (let start = 0; ; start += 20) {
      const rows = await page(start);
      pages.push(...rows);
      if (rows.length < 20) break;
    }
    assert.ok(pages.length > 20, "more than one page");
    assert.equal(new Set(pages.map((r) => r.trdMatchID)).size, pages.length, "pages do not overlap");
    assert.ok(pages.every((r) => r.timestamp >= startTime && r.timestamp <= end));
    assert.match(pages[0]!.trdMatchID, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it("failures on demand: an HTTP status, or the connection cut", async () => {
    sim.setRestFailure("kucoin", { status: 451 });
    assert.equal((await fetch(`${sim.urls.kucoinRest}/api/v1/market/histories?symbol=BTC-USDT`)).status, 451);
    sim.setRestFailure("kucoin", "unreachable");
    await assert.rejects(fetch(`${sim.urls.kucoinRest}/api/v1/market/histories?symbol=BTC-USDT`));
    sim.setRestFailure("kucoin", undefined);
    assert.equal((await fetch(`${sim.urls.kucoinRest}/api/v1/market/histories?symbol=BTC-USDT`)).status, 200);
  });
});
