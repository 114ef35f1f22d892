import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { S3RawArchive } from "../../lib/adapters/aws/S3RawArchive.ts";
import { toJsonLines } from "../../lib/archive/rawArchiveKey.ts";
import { planIngest } from "../../lib/ingest/ingestRequest.ts";
import { runCollectionWindow } from "../../lib/market/collect/runCollectionWindow.ts";
import { marketBatchId, marketEnvelopes } from "../../lib/market/collect/marketEnvelopes.ts";
import { archiveHourPrefixes } from "../../lib/market/replay/archiveHours.ts";
import { replayArchive } from "../../lib/market/replay/replayArchive.ts";
import type { Quote, Trade } from "../../contracts/market.ts";
import { QueueProducer } from "../../lib/adapters/aws/QueueProducer.ts";
import { startMarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { BUCKET, collectorConfig, collectorDeps, createBucket, drainQueue, freshQueue } from "./collectorHarness.ts";

let cloud: LocalSqsS3;
before(async () => {
  cloud = await startLocalSqsS3();
  await createBucket(cloud);
});
after(() => cloud.close());

const T0 = Date.parse("2026-11-22T08:00:00Z");
const trade = (n: number, at: number, exchange = "binance"): Trade => ({
  exchange, symbol: "BTCUSDT", base: "BTC", quote: "USDT", price: 98_000 + n, size: 0.01, side: n % 2 ? "buy" : "sell", tradeId: `${at}-${n}`, ts: at, receivedAt: at + 5,
});
const quote = (at: number): Quote => ({ exchange: "binance", symbol: "BTCUSDT", base: "BTC", quote: "USDT", bid: 97_999, ask: 98_001, ts: at, receivedAt: at + 5 });

/** Archives a batch as the collector does; returns the ids it was enqueued with. */
async function archiveBatch(at: number, trades: Trade[], quotes: Quote[] = [], ticks: unknown[] = [], exchange = "binance") {
  const records = [...trades, ...quotes, ...ticks];
  const batchId = marketBatchId(exchange, "BTCUSDT", toJsonLines(records));
  await new S3RawArchive(cloud.s3, BUCKET).put(exchange, batchId, records, new Date(at));
  return marketEnvelopes(exchange, batchId, trades, quotes, new Date(at), "original").map((e) => e.id);
}

describe("replay from the raw archive", () => {
  it("hour partitions overlapping [from, to)", () => {
    assert.deepEqual(archiveHourPrefixes("binance", new Date("2026-11-22T09:00Z"), new Date("2026-11-22T11:00Z")), [
      "raw/binance/2026/11/22/09/", "raw/binance/2026/11/22/10/",
    ]);
    assert.deepEqual(archiveHourPrefixes("kucoin", new Date("2026-11-22T23:30Z"), new Date("2026-11-23T00:10Z")), [
      "raw/kucoin/2026/11/22/23/", "raw/kucoin/2026/11/23/00/",
    ]);
    assert.throws(() => archiveHourPrefixes("binance", new Date("2026-11-22T10:00Z"), new Date("2026-11-22T09:00Z")), /must be before/);
  });

  it("re-enqueues exactly the archived batches in range, with their original ids, idempotently", async () => {
    const hour = 3600_000;
    await archiveBatch(T0 + 30 * 60_000, [trade(1, T0 + 30 * 60_000)]); // 08:30, out of range
    const inRangeA = await archiveBatch(T0 + hour + 15 * 60_000, [trade(2, T0 + hour), trade(3, T0 + hour)], [quote(T0 + hour)]); // 09:15
    // 1200 trades: three chunks of 500 as the webhook and the collector both cut them.
    const big = Array.from({ length: 1200 }, (_, i) => trade(100 + i, T0 + hour + 40 * 60_000));
    const inRangeB = await archiveBatch(T0 + hour + 40 * 60_000, big); // 09:40
    await archiveBatch(T0 + hour + 50 * 60_000, [], [], [{ kind: "tick", exchange: "binance", symbol: "BTCUSDT" }]); // ticks only: archived, never enqueued
    await archiveBatch(T0 + 2 * hour + 5 * 60_000, [trade(4, T0 + 2 * hour)]); // 10:05, out of range
    await archiveBatch(T0 + hour + 20 * 60_000, [trade(5, T0 + hour, "kucoin")], [], [], "kucoin"); // other source

    // A webhook batch of the same source in range replays to the webhook's own ids.
    const now = new Date(T0 + hour + 45 * 60_000);
    const plan = planIngest("prices", { source: "binance", trades: [trade(9, T0 + hour)] }, now);
    await new S3RawArchive(cloud.s3, BUCKET).put(plan.source, plan.batchId, plan.records, now);
    const webhookIds = plan.envelopes.map((e) => e.id);

    const queue = await freshQueue(cloud);
    const replay = () =>
      replayArchive({
        archive: new S3RawArchive(cloud.s3, BUCKET), producer: new QueueProducer(cloud.sqs), queueUrls: { market: queue.url }, source: "binance",
        from: new Date("2026-11-22T09:00Z"), to: new Date("2026-11-22T10:00Z"), correlationId: "replay-test",
      });
    const stats = await replay();
    assert.equal(stats.objects, 4, stats.keys.join("\n"));
    assert.equal(stats.trades, 2 + 1200 + 1);
    assert.equal(stats.quotes, 1);
    assert.equal(stats.skipped, 1, "the tick is skipped");
    const first = await drainQueue(cloud, queue.url);
    assert.deepEqual(first.map((e) => e.id).sort(), [...inRangeA, ...inRangeB, ...webhookIds].sort());
    assert.equal(first.flatMap((e) => e.payload.trades).length, 1203);
    assert.ok(first.every((e) => e.correlationId === "replay-test" && e.schema === "market.batch/v2"));

    await replay();
    const second = await drainQueue(cloud, queue.url);
    assert.deepEqual(second.map((e) => e.id).sort(), first.map((e) => e.id).sort(), "a second replay sends the same ids");
  });

  it("replays what the collector archived with the ids it enqueued (collector → archive → replay)", async () => {
    const sim = await startMarketSimulator({ port: 0, seed: "replay", symbols: ["BTC-USD"], tradesPerSecond: 100 });
    try {
      const original = await freshQueue(cloud);
      const from = new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
      await runCollectionWindow(collectorConfig(sim, original.name, { MARKET_EXCHANGES: "bitmex", MARKET_BITMEX_SYMBOLS: "XBTUSD", MARKET_WINDOW_MS: "1000" }), collectorDeps(cloud, original.url), {
        remainingTimeMs: 30_000, correlationId: "collector",
      });
      const sent = await drainQueue(cloud, original.url);
      assert.ok(sent.length > 0);
      const replayed = await freshQueue(cloud);
      // The CLI, end to end, against the emulator.
      const { stdout } = await promisify(execFile)(process.execPath, [
        "--import", "tsx", "scripts/replay.ts", "--endpoint", cloud.endpoint.url, "--bucket", BUCKET, "--price-queue", replayed.name,
        "--news-queue", replayed.name, "--source", "bitmex", "--from", from.toISOString(), "--to", new Date(from.getTime() + 2 * 3600_000).toISOString(), "--json",
      ], { env: { ...process.env, CRYPTOVIZ_LOG_LEVEL: "SILENT" } });
      const stats = JSON.parse(stdout);
      const again = await drainQueue(cloud, replayed.url);
      assert.equal(stats.envelopes, sent.length);
      const byId = (list: typeof sent) => new Map(list.map((e) => [e.id, e.payload]));
      assert.deepEqual(byId(again), byId(sent), "same ids, same payloads");
    } finally {
      await sim.close();
    }
  });

  it("the CLI refuses bad arguments with usage and exit code 2", async () => {
    const run = promisify(execFile);
    await assert.rejects(run(process.execPath, ["--import", "tsx", "scripts/replay.ts", "--source", "binance", "--from", "yesterday", "--to", "2026-11-22T10:00Z"]), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr, /--from must be an ISO time/);
      return true;
    });
  });
});
