import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { ConfigError } from "../../lib/config/ConfigError.ts";
import { backoffDelay } from "../../lib/async/backoffDelay.ts";
import { BatchShipper } from "../../lib/market/collect/BatchShipper.ts";
import { readCollectorConfig } from "../../lib/market/collect/CollectorConfig.ts";
import type { RawBatch } from "../../lib/market/collect/RawBatch.ts";
import { windowLength } from "../../lib/market/collect/runCollectionWindow.ts";
import { SymbolBatcher } from "../../lib/market/collect/SymbolBatcher.ts";
import type { Quote, Trade } from "../../contracts/market.ts";
import { sleep } from "../helpers/waitFor.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { archivedObjects, collectorDeps, createBucket, drainQueue, freshQueue } from "./collectorHarness.ts";

const AT = 1_795_338_720_000;
let n = 0;
const quote = (symbol: string): Quote => ({
  exchange: "binance", symbol, base: symbol.slice(0, 3), quote: "USDT", bid: 97_999.5 + (++n % 100), ask: 98_000.5 + (n % 100), bidSize: 1.25, askSize: 2.5,
  last: 98_000, ts: AT + n, receivedAt: AT + n + 3,
});
const trade = (symbol = "BTCUSDT"): Trade => ({
  exchange: "binance", symbol, base: symbol.slice(0, 3), quote: "USDT", price: 98_000 + (n % 100), size: 0.0123, side: n % 2 ? "buy" : "sell",
  tradeId: String(++n), ts: AT + n, receivedAt: AT + n + 3,
});

describe("per-symbol batching", () => {
  it("flushes a symbol at maxMessages, symbols independently", () => {
    const batches: RawBatch[] = [];
    const batcher = new SymbolBatcher("binance", { maxMessages: 3, maxAgeMs: 60_000 }, (b) => batches.push(b));
    for (let i = 0; i < 7; i++) batcher.add(trade("BTCUSDT"), "trade");
    batcher.add(trade("ETHUSDT"), "trade");
    assert.deepEqual(batches.map((b) => [b.symbol, b.trades.length, b.reason]), [["BTCUSDT", 3, "count"], ["BTCUSDT", 3, "count"]]);
    assert.equal(batcher.pending, 2);
    batcher.flushAll();
    assert.deepEqual(batches.slice(2).map((b) => [b.symbol, b.trades.length, b.reason]), [["BTCUSDT", 1, "final"], ["ETHUSDT", 1, "final"]]);
    assert.equal(batcher.pending, 0);
  });

  it("flushes a symbol maxAgeMs after its first record", async () => {
    const batches: RawBatch[] = [];
    const batcher = new SymbolBatcher("binance", { maxMessages: 100, maxAgeMs: 60 }, (b) => batches.push(b));
    batcher.add(trade(), "trade");
    await sleep(30);
    batcher.add(trade(), "trade");
    assert.equal(batches.length, 0);
    await sleep(60);
    assert.deepEqual(batches.map((b) => [b.trades.length, b.reason]), [[2, "age"]], "the age counts from the first record, not the last");
    batcher.add({ symbol: "BTCUSDT" } as never, "tick");
    batcher.flushAll();
    assert.equal(batches[1]!.ticks.length, 1);
  });

  it("backoff doubles from the base up to the cap, with jitter", () => {
    const top = (attempt: number) => backoffDelay(attempt, 100, 1000, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5, 9].map(top), [100, 200, 400, 800, 1000, 1000]);
    assert.equal(backoffDelay(3, 100, 1000, () => 0), 200, "at least half the ceiling");
  });

  it("the window ends before the Lambda timeout, leaving the flush reserve", () => {
    assert.equal(windowLength({ windowMs: 60_000, flushReserveMs: 8000 }, 80_000), 60_000);
    assert.equal(windowLength({ windowMs: 60_000, flushReserveMs: 8000 }, 30_000), 22_000);
    assert.equal(windowLength({ windowMs: 60_000, flushReserveMs: 8000 }, 5000), 0);
  });
});

describe("collector configuration", () => {
  const base = { PRICE_QUEUE: "q", RAW_BUCKET: "b" };
  it("has defaults for everything but the queue and bucket", () => {
    const config = readCollectorConfig(base);
    assert.deepEqual(config.exchanges, ["binance", "kucoin", "bitmex"]);
    assert.deepEqual(config.batching, { maxMessages: 100, maxAgeMs: 1000 });
    assert.equal(config.urls.kucoinRest, "https://api.kucoin.com");
    assert.deepEqual(config.symbols.bitmex, ["XBTUSD", "ETHUSD"]);
  });
  const refused: Array<[Record<string, string>, string]> = [
    [{ MARKET_EXCHANGES: "binance,ftx" }, "MARKET_EXCHANGES"],
    [{ MARKET_KUCOIN_SYMBOLS: "BTC-USDT,NOPE" }, "MARKET_KUCOIN_SYMBOLS"],
    [{ MARKET_BATCH_MAX_MESSAGES: "0" }, "MARKET_BATCH_MAX_MESSAGES"],
    [{ MARKET_BATCH_MAX_AGE_MS: "1s" }, "MARKET_BATCH_MAX_AGE_MS"],
    [{ MARKET_BINANCE_WS_URL: "not a url" }, "MARKET_BINANCE_WS_URL"],
    [{ MARKET_BINANCE_MINI_TICKER: "yes" }, "MARKET_BINANCE_MINI_TICKER"],
    [{ PRICE_QUEUE: "" }, "PRICE_QUEUE"],
  ];
  for (const [env, variable] of refused) {
    it(`names ${variable} when it is wrong`, () => {
      assert.throws(() => readCollectorConfig({ ...base, ...env }), (e: unknown) => e instanceof ConfigError && e.variable === variable);
    });
  }
});

describe("shipping batches to SQS and S3", () => {
  let cloud: LocalSqsS3;
  const calls: Array<{ entries: number; bytes: number }> = [];
  before(async () => {
    cloud = await startLocalSqsS3();
    await createBucket(cloud);
    // Observe (not replace) the real client: every SendMessageBatch the shipper makes.
    const send = cloud.sqs.send.bind(cloud.sqs) as (c: unknown) => Promise<unknown>;
    (cloud.sqs as unknown as { send: (c: unknown) => Promise<unknown> }).send = (command: unknown) => {
      if ((command as object).constructor.name === "SendMessageBatchCommand") {
        const entries = (command as SendMessageBatchCommand).input.Entries ?? [];
        calls.push({ entries: entries.length, bytes: entries.reduce((s, e) => s + Buffer.byteLength(e.MessageBody ?? "") + 80, 0) });
      }
      return send(command);
    };
  });
  after(() => cloud.close());

  const batchOf = (size: number, symbol: string, quotes = 0): RawBatch => ({
    exchange: "binance", symbol, trades: Array.from({ length: size }, () => trade(symbol)), quotes: Array.from({ length: quotes }, () => quote(symbol)),
    ticks: [], closedAt: new Date(AT), reason: "count",
  });

  it("honours both SendMessageBatch limits (10 entries, 256 KiB) and archives each batch once", async () => {
    const queue = await freshQueue(cloud);
    const deps = collectorDeps(cloud, queue.url);
    const shipper = new BatchShipper(deps.archive, deps.producer, deps.queueUrl, { concurrency: 3, correlationId: "t" });
    calls.length = 0;
    for (let i = 0; i < 25; i++) shipper.ship(batchOf(100, "BTCUSDT")); // 25 messages of ~25 KB: the entry limit binds
    // 4 messages of 500 trades (as columns) and 500 quotes, ~110 KB each: the size limit binds.
    for (let i = 0; i < 3; i++) shipper.ship(batchOf(2000, "ETHUSDT", 2000));
    await shipper.drain();
    assert.equal(shipper.stats.failedBatches, 0);
    assert.equal(shipper.stats.envelopes, 25 + 12);
    assert.ok(calls.every((c) => c.entries <= 10 && c.bytes <= 262_144), JSON.stringify(calls));
    assert.ok(calls.some((c) => c.entries === 10), "full batches are used");
    assert.ok(calls.some((c) => c.bytes > 200_000 && c.entries < 10), `the size limit cut some batches: ${JSON.stringify(calls)}`);
    const messages = await drainQueue(cloud, queue.url);
    assert.equal(messages.length, 37);
    assert.equal(messages.flatMap((m) => m.payload.trades).length, 25 * 100 + 3 * 2000);
    assert.equal(messages.flatMap((m) => m.payload.quotes).length, 3 * 2000);
    const objects = await archivedObjects(cloud, "raw/binance/");
    assert.equal(objects.length, 28);
    assert.equal(objects.flatMap((o) => o.records).length, 8500 + 6000);
  });
});
