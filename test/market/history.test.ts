// History from klines: the simulator's klines endpoints (real shapes, history that
// meets the live price), paging within rate limits, the store's rule between klines
// and trades, `npm run backfill` (arguments refused by name, a run that prints what it
// wrote, a second run that writes nothing), and the demo's 24 hours: after a
// demo-like start, the candles API answers 24 hourly candles equal to the klines.
import type { Client } from "@opensearch-project/opensearch";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { readFileSync } from "node:fs";
import { startSearchServer } from "@cryptoviz/local-search";
import { TIMEFRAMES } from "../../contracts/timeframes.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { createApiRouter } from "../../lib/api/apiRouter.ts";
import { bucketStart } from "../../lib/candles/bucketStart.ts";
import { mergeCandles } from "../../lib/candles/mergeCandles.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { klineCandle } from "../../lib/market/history/backfillCandles.ts";
import { fetchKlinePages } from "../../lib/market/history/fetchKlinePages.ts";
import { KLINE_SOURCES } from "../../lib/market/history/klineSources.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";
import type { AnyCandle, CandleDoc } from "../../lib/store/types.ts";
import { writeKlineCandles } from "../../lib/store/writeKlineCandles.ts";
import { writeMarketBatch } from "../../lib/store/writeMarketBatch.ts";
import { loadDemoHistory } from "../../localcloud/demo/loadDemoHistory.ts";
import { startMarketSimulator, type MarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";
import { lambdaContext } from "../helpers/lambdaContext.ts";
import { startRecordingHttpServer } from "../helpers/recordingHttpServer.ts";

process.env.CRYPTOVIZ_LOG_LEVEL ??= "SILENT";
const MINUTE = 60_000;
const HOUR = 3_600_000;

let dataDir: string;
let search: Awaited<ReturnType<typeof startSearchServer>>;
let sim: MarketSimulator;
let simUrl: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "history-"));
  [search, sim] = await Promise.all([
    startSearchServer({ port: 0, dataDir }),
    startMarketSimulator({ port: 0, seed: "history-test", symbols: ["BTC-USDT"], tradesPerSecond: 20 }),
  ]);
  simUrl = `http://127.0.0.1:${sim.port}`;
});
after(async () => {
  await sim?.close();
  await search?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function storeFor(prefix: string, now?: () => number): StoreContext<Client> {
  const config = readStoreConfig({ SEARCH_URL: search.url, SEARCH_INDEX_PREFIX: prefix });
  return createStoreContext(createSearchClient(config), config, now);
}

async function getJson(path: string): Promise<unknown> {
  const r = await fetch(`${simUrl}${path}`);
  assert.equal(r.status, 200, path);
  return r.json();
}

async function candleDocs(store: StoreContext<Client>): Promise<Map<string, CandleDoc>> {
  await store.client.indices.refresh({ index: `${store.names.prefix}candles-*` });
  const out = new Map<string, CandleDoc>();
  let after: unknown[] | undefined;
  for (;;) {
    const { body } = await store.client.search({
      index: `${store.names.prefix}candles-*`,
      body: { size: 5000, sort: [{ timeframe: "asc" }, { exchange: "asc" }, { bucketStart: "asc" }], ...(after ? { search_after: after } : {}) } as never,
    });
    const hits = body.hits.hits as Array<{ _id: string; _source: CandleDoc; sort: unknown[] }>;
    for (const h of hits) out.set(h._id, h._source);
    if (hits.length < 5000) return out;
    after = hits[hits.length - 1]!.sort;
  }
}

describe("the simulator's klines", () => {
  it("answer in each exchange's shape, the same page twice alike, and history ends at the price the live market starts from", async () => {
    const now = Date.now();
    const from = Math.floor((now - 3 * HOUR) / MINUTE) * MINUTE;
    const binance = KLINE_SOURCES.binance.parse(await getJson(`/binance/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${from}&limit=1000`));
    assert.ok(binance.length >= 180, `${binance.length} binance klines`);
    assert.deepEqual(KLINE_SOURCES.binance.parse(await getJson(`/binance/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${from}&limit=1000`)).slice(0, 170), binance.slice(0, 170), "seeded: the same page again");
    for (let i = 1; i < binance.length; i++) assert.equal(binance[i]!.openTime - binance[i - 1]!.openTime, MINUTE, "one per minute, oldest first");
    const kucoin = KLINE_SOURCES.kucoin.parse(await getJson(`/kucoin/api/v1/market/candles?type=1min&symbol=BTC-USDT&startAt=${from / 1000}&endAt=${Math.floor(now / 1000)}`));
    const bitmex = KLINE_SOURCES.bitmex.parse(await getJson(`/bitmex/api/v1/trade/bucketed?binSize=1m&symbol=XBTUSDT&startTime=${new Date(from + MINUTE).toISOString()}&count=1000`));
    assert.ok(kucoin.length >= 180 && bitmex.length >= 179, `${kucoin.length} kucoin, ${bitmex.length} bitmex`);
    // Every exchange's history of the pair has one shape: within a few tenths of a percent of each other.
    const at = (ks: typeof binance, t: number) => ks.find((k) => k.openTime === t)!.close;
    const t = from + 60 * MINUTE;
    assert.ok(Math.abs(at(kucoin, t) / at(binance, t) - 1) < 0.01 && Math.abs(at(bitmex, t) / at(binance, t) - 1) < 0.01);
    // History is the price path the live trades follow: each minute opens where the one
    // before closed (within a few basis points), across the start of the live market too.
    const stream = sim.stats().tradesGenerated;
    assert.ok(stream >= 0);
    await new Promise((r) => setTimeout(r, 1200));
    const recent = KLINE_SOURCES.binance.parse(await getJson(`/binance/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${from}&limit=1000`));
    assert.ok(recent[recent.length - 1]!.openTime >= Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE, "the page reaches the live minutes");
    for (let i = 1; i < recent.length; i++) {
      const jump = Math.abs(recent[i]!.open / recent[i - 1]!.close - 1);
      assert.ok(jump < 0.002, `minute ${new Date(recent[i]!.openTime).toISOString()} opens ${(jump * 100).toFixed(3)} % away from the close before it`);
    }
  });
});

describe("paging", () => {
  it("covers the range in contiguous pages, keeps its pace and waits out a 429", async () => {
    let calls = 0;
    const server = await startRecordingHttpServer(() => {
      calls++;
      if (calls === 2) return { status: 429, body: { code: -1003, msg: "Too many requests" } };
      return { status: 200, body: [] };
    });
    const waits: number[] = [];
    const pages = [];
    const from = Date.parse("2026-01-01T00:00:00Z");
    try {
      for await (const p of fetchKlinePages({
        source: KLINE_SOURCES.binance, baseUrl: server.url, symbol: "BTCUSDT", from, to: from + 2500 * MINUTE,
        sleep: async (ms) => void waits.push(ms),
      })) pages.push(p);
    } finally {
      await server.close();
    }
    assert.deepEqual(pages.map((p) => [p.from, p.to]), [[from, from + 1000 * MINUTE], [from + 1000 * MINUTE, from + 2000 * MINUTE], [from + 2000 * MINUTE, from + 2500 * MINUTE]]);
    assert.deepEqual(pages.map((p) => p.requests), [1, 2, 1], "the rate-limited page asked again");
    assert.equal(server.requests.length, 4);
    assert.ok(waits.includes(1000), "a 429 without Retry-After waits a second before the retry");
    assert.ok(waits.every((w) => w <= KLINE_SOURCES.binance.minIntervalMs || w === 1000), `waits ${waits}`);
    assert.ok(waits.filter((w) => w !== 1000).length >= 2, "requests spaced by the exchange's pace");
  });
});

describe("klines and trades in the store", () => {
  it("a kline replaces a less complete minute of trades and itself when revised, never a minute whose trades hold as much; a late trade does not undo a kline", async () => {
    const t0 = Date.parse("2026-02-02T10:00:00Z");
    const store = storeFor("kt-", () => t0 + HOUR);
    await ensureTemplates(store.client, store.config);
    const trade = (id: string, minute: number, size: number) => ({ key: id, item: { exchange: "binance", symbol: "BTCUSDT", tradeId: id, price: 100, size, time: t0 + minute * MINUTE + 5_000 } });
    await writeMarketBatch(store, { trades: [trade("a", 0, 1), trade("b", 1, 5)] });
    const kline = (minute: number, volume: number, close = 101) =>
      klineCandle("binance", "BTCUSDT", { openTime: t0 + minute * MINUTE, open: 100, high: 102, low: 99, close, volume, quoteVolume: volume * 100, trades: 3 });
    const first = await writeKlineCandles(store, [kline(0, 3), kline(1, 3), kline(2, 3)]);
    assert.deepEqual([first.written, first.kept, first.failed.size], [2, 1, 0], "minute 0 (1 < 3) and 2 (empty) from klines, minute 1 (5 ≥ 3) kept");
    let docs = await candleDocs(store);
    const id = (scope: string, tf: string, m: number) => `${scope}|BTCUSDT|${tf}|${bucketStart(tf as "1m", t0 + m * MINUTE)}`;
    assert.equal(docs.get(id("binance", "1m", 0))?.origin, "klines");
    assert.equal(docs.get(id("binance", "1m", 1))?.origin, undefined);
    assert.equal(docs.get(id("all", "1h", 0))?.volume, 3 + 5 + 3, "the hour adds klines and trades");
    assert.equal(docs.get(id("all", "1m", 2))?.volume, 3, "a kline-only minute reaches the all-exchange view");

    const again = await writeKlineCandles(store, [kline(0, 3), kline(1, 3), kline(2, 3)]);
    assert.deepEqual([again.written, again.unchanged, again.kept, again.derivedWritten], [0, 2, 1, 0], "the same klines again: nothing written");
    const revised = await writeKlineCandles(store, [kline(2, 4, 100.5)]);
    assert.equal(revised.written, 1);
    // A late trade in minute 0: its 1m from trades (2 units) is less than the kline's 3.
    await writeMarketBatch(store, { trades: [trade("late", 0, 1)] });
    docs = await candleDocs(store);
    assert.equal(docs.get(id("binance", "1m", 0))?.volume, 3, "the kline stays");
    assert.equal(docs.get(id("binance", "1m", 2))?.close, 100.5);
    assert.equal(docs.get(id("all", "1d", 0))?.volume, 3 + 5 + 4);
    // Filling holes only (the demo's top-ups): a minute with anything stored is left alone.
    await writeMarketBatch(store, { trades: [trade("c", 4, 1)] });
    const holes = await writeKlineCandles(store, [kline(4, 9), kline(5, 9)], { onlyMissing: true });
    assert.deepEqual([holes.written, holes.kept], [1, 1]);
    assert.equal((await candleDocs(store)).get(id("binance", "1m", 4))?.volume, 1);
    const bad = await writeKlineCandles(store, [{ ...kline(3, 1), high: 90 }]);
    assert.match([...bad.failed.values()][0]!.reason, /low ≤ open, close ≤ high/);
    await store.client.close();
  });
});

function runBackfill(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/backfill.ts", ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run backfill", () => {
  it("refuses bad arguments naming the field, writes a range and prints it, and writes nothing the second time", async () => {
    const bad = await runBackfill(["--exchange", "coinbase", "--symbol", "BTCUSDT", "--from", "2026-01-01T00:00Z", "--to", "yesterday"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--exchange must be binance, kucoin or bitmex/);
    assert.match(bad.stderr, /--to must be an ISO time/);
    const to = Math.floor(Date.now() / MINUTE) * MINUTE;
    const args = ["--exchange", "kucoin", "--symbol", "BTC-USDT", "--from", new Date(to - 2 * HOUR).toISOString(), "--to", new Date(to).toISOString()];
    const env = { SEARCH_URL: search.url, SEARCH_INDEX_PREFIX: "cli-", MARKET_KUCOIN_REST_URL: `${simUrl}/kucoin`, CRYPTOVIZ_LOG_LEVEL: "SILENT" };
    const first = await runBackfill(args, env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /wrote 120 1m candles of kucoin BTC-USDT \(as BTCUSDT\) and \d+ candles of 5m … 1w and all exchanges; 0 already stored/);
    const second = await runBackfill([...args, "--json"], env);
    assert.equal(second.code, 0, second.stderr);
    const summary = JSON.parse(second.stdout) as { written: number; unchanged: number; derivedWritten: number };
    assert.deepEqual([summary.written, summary.unchanged, summary.derivedWritten], [0, 120, 0]);
  });
});

describe("the demo's history", () => {
  it("after a demo-like start, every timeframe has candles and the candles API answers 24 hourly candles equal to the klines", async () => {
    const now = Date.now();
    const store = storeFor("demo-");
    const t = performance.now();
    const summaries = await loadDemoHistory({ store, simulatorUrl: simUrl, streams: [{ exchange: "binance", symbol: "BTCUSDT" }, { exchange: "kucoin", symbol: "BTC-USDT" }], now: () => now });
    const ms = performance.now() - t;
    assert.deepEqual(summaries.map((s) => s.failed), [0, 0]);
    assert.ok(summaries.every((s) => s.written >= 1439), JSON.stringify(summaries));
    console.log(`# demo history: 2 streams × 24 h in ${(ms / 1000).toFixed(1)} s`);

    const docs = await candleDocs(store);
    for (const tf of TIMEFRAMES) assert.ok([...docs.values()].some((c) => c.timeframe === tf && c.exchange === "all"), `all ${tf}`);

    const handler = httpHandler(createApiRouter({ store, now: () => now }), { allowedOrigins: [], logger: createLogger("api") });
    const sample = JSON.parse(readFileSync("functions/api/event.json", "utf8")) as APIGatewayProxyEventV2;
    const query = { symbol: "BTCUSDT", tf: "1h", from: new Date(now - 24 * HOUR).toISOString(), to: new Date(now).toISOString() };
    const r = (await handler({ ...sample, rawPath: "/candles", routeKey: "GET /candles", rawQueryString: new URLSearchParams(query).toString(), queryStringParameters: query,
      requestContext: { ...sample.requestContext, routeKey: "GET /candles", http: { ...sample.requestContext.http, method: "GET", path: "/candles" } } }, lambdaContext("api"))) as APIGatewayProxyStructuredResultV2;
    assert.equal(r.statusCode, 200, String(r.body));
    const candles = (JSON.parse(String(r.body)) as { candles: Array<{ bucketStart: number; open: number; high: number; low: number; close: number; volume: number }> }).candles;
    assert.equal(candles.length, 24, "24 hourly candles over the last 24 hours");

    // From scratch: the klines both exchanges serve, merged per hour.
    const from = Math.floor((now - 24 * HOUR) / MINUTE) * MINUTE;
    const closed = Math.floor(now / MINUTE) * MINUTE;
    const served: AnyCandle[] = [];
    for (const [exchange, path] of [["binance", `/binance/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1000&startTime=`], ["kucoin", ""]] as const) {
      const source = KLINE_SOURCES[exchange];
      for (let s = from; s < closed; s += source.pageMinutes * MINUTE) {
        const e = Math.min(closed, s + source.pageMinutes * MINUTE);
        const url = exchange === "binance" ? `${path}${s}&endTime=${e - 1}` : `/kucoin/api/v1/market/candles?type=1min&symbol=BTC-USDT&startAt=${s / 1000}&endAt=${e / 1000}`;
        for (const k of source.parse(await getJson(url))) if (k.openTime >= s && k.openTime < e) served.push(klineCandle(exchange, "BTCUSDT", k));
      }
    }
    for (const c of candles) {
      const parts = served.filter((k) => bucketStart("1h", k.bucketStart) === c.bucketStart);
      const want = mergeCandles("all", "BTCUSDT", "1h", c.bucketStart, parts)!;
      for (const f of ["open", "high", "low", "close"] as const) assert.equal(c[f], want[f], `${new Date(c.bucketStart).toISOString()} ${f}`);
      assert.ok(Math.abs(c.volume - want.volume) <= 1e-9 * want.volume, "volume");
    }

    const again = await loadDemoHistory({ store, simulatorUrl: simUrl, streams: [{ exchange: "binance", symbol: "BTCUSDT" }, { exchange: "kucoin", symbol: "BTC-USDT" }], now: () => now });
    assert.deepEqual(again.map((s) => [s.written, s.derivedWritten]), [[0, 0], [0, 0]], "a restarted demo writes nothing again");
    await store.client.close();
  });
});
