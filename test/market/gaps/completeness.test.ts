// GET /completeness against values the test computes: end to end (simulator →
// collector with gaps → consume-prices' domain → the API), and from hand-made
// reports of two overlapping windows with lost and pending ids.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import type { CompletenessAnswer } from "../../../contracts/api.ts";
import type { MarketCompleteness } from "../../../contracts/completeness.ts";
import type { Envelope } from "../../../contracts/envelope.ts";
import type { MarketBatch } from "../../../contracts/market.ts";
import { priceFeedGapTopic } from "../../../contracts/topics.ts";
import { QueueProducer } from "../../../lib/adapters/aws/QueueProducer.ts";
import { S3RawArchive } from "../../../lib/adapters/aws/S3RawArchive.ts";
import { S3StateStore } from "../../../lib/adapters/aws/S3StateStore.ts";
import { apiRoutes } from "../../../lib/api/apiRouter.ts";
import { runCollectionWindow, type CollectionStats } from "../../../lib/market/collect/runCollectionWindow.ts";
import { writeMarketBatch } from "../../../lib/store/writeMarketBatch.ts";
import { writeCompleteness } from "../../../lib/store/writeCompleteness.ts";
import { startMarketSimulator } from "../../../localcloud/market-sim/startMarketSimulator.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../../helpers/localSqsS3.ts";
import { collectorConfig, drainQueue, freshQueue } from "../collectorHarness.ts";
import { consumeAll, startStore } from "../storeHarness.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let cloud: LocalSqsS3;
let search: Awaited<ReturnType<typeof startStore>>;

before(async () => {
  [cloud, search] = await Promise.all([startLocalSqsS3(), startStore()]);
});
after(async () => {
  await Promise.all([cloud.close(), search.close()]);
});

const ask = async (query: Record<string, string>) => apiRoutes(search.store)["GET /completeness"]!(query, Date.now()) as Promise<CompletenessAnswer>;

describe("GET /completeness", () => {
  it("end to end: expected, stored and backfilled per exchange match what the simulator made and the collector filled", async () => {
    const sim = await startMarketSimulator({ port: 0, seed: "completeness", runId: 31, symbols: ["ETH-USDT"], tradesPerSecond: 30, quotesPerSecond: 1 });
    try {
      await cloud.s3.send(new CreateBucketCommand({ Bucket: "completeness-raw" }));
      const queue = await freshQueue(cloud);
      const config = collectorConfig(sim, queue.name, {
        MARKET_BINANCE_SYMBOLS: "ETHUSDT", MARKET_KUCOIN_SYMBOLS: "ETH-USDT", MARKET_BITMEX_SYMBOLS: "ETHUSDT", MARKET_GAP_FILL_DELAY_MS: "300",
      });
      const deps = {
        archive: new S3RawArchive(cloud.s3, "completeness-raw"),
        producer: new QueueProducer(cloud.sqs, { claimCheck: { s3: cloud.s3, bucket: "completeness-raw" } }),
        queueUrl: async () => queue.url,
        state: new S3StateStore(cloud.s3, "completeness-raw"),
      };
      const stats: CollectionStats[] = [];
      const windowStart = Date.now();
      for (const [windowMs, act] of [
        [1500, async () => { await sleep(300); sim.withholdTrades("binance", 6); sim.withholdTrades("kucoin", 4); await sleep(400); sim.dropConnections(); }],
        [1200, async () => { await sleep(500); sim.stopTrading(); }],
      ] as const) {
        let acting: Promise<void> | undefined;
        stats.push(await runCollectionWindow({ ...config, windowMs }, deps, { remainingTimeMs: 60_000, correlationId: "completeness", onStarted: () => (acting = act()) }));
        await acting;
        await sleep(300);
      }
      const reports: Array<Envelope<MarketCompleteness>> = [];
      const batches: Array<Envelope<MarketBatch>> = await drainQueue(cloud, queue.url, reports);
      const published = await consumeAll(search.store, [...batches, ...reports]);
      await search.store.client.indices.refresh({ index: `${search.store.config.indexPrefix}*` });

      const answer = await ask({ symbol: "ethusdt", from: String(windowStart - 3_600_000), to: String(Date.now() + 3_600_000) });
      assert.equal(answer.symbol, "ETHUSDT");
      const made = sim.stats().tradesGeneratedBy;
      const filled = (exchange: string) => stats.reduce((n, s) => n + s.gaps![exchange]!.filled, 0);
      const sum = (exchange: string, f: (r: CompletenessAnswer["hours"][number]) => number) => answer.hours.filter((r) => r.exchange === exchange).reduce((n, r) => n + f(r), 0);
      for (const [exchange, key] of [["binance", "binance:ETHUSDT"], ["kucoin", "kucoin:ETH-USDT"], ["bitmex", "bitmex:ETHUSDT"]] as const) {
        assert.equal(sum(exchange, (r) => r.stored), made[key], `${exchange}: stored = what the simulator made`);
        assert.equal(sum(exchange, (r) => r.backfilled), filled(exchange), `${exchange}: backfilled = what the collector filled over REST`);
        assert.ok(filled(exchange) > 0, `${exchange}: something was backfilled`);
        assert.equal(sum(exchange, (r) => r.knownMissing + r.pending + r.pendingGaps), 0);
        assert.ok(answer.hours.filter((r) => r.exchange === exchange).every((r) => r.complete), `${exchange}: complete`);
        if (exchange === "bitmex") assert.ok(answer.hours.filter((r) => r.exchange === exchange).every((r) => r.expected === null && r.mode === "time"), "BitMEX has no id range: tracked by time");
        else {
          assert.ok(answer.hours.filter((r) => r.exchange === exchange).every((r) => r.mode === "ids"), `${exchange}: tracked by trade id`);
          assert.equal(sum(exchange, (r) => r.expected ?? 0), made[key], `${exchange}: expected from the id range = what the simulator made`);
        }
      }
      const gapTopics = published.published.filter((p) => p.topic === priceFeedGapTopic("ETH"));
      assert.ok(gapTopics.some((p) => (p.payload as { kind: string }).kind === "opened") && gapTopics.some((p) => (p.payload as { kind: string }).kind === "filled"), "gap events on notify/gap");
    } finally {
      await sim.close();
    }
  });

  it("from two overlapping windows' reports: id range across both, sums of backfilled and lost, pending as the later window left it", async () => {
    const H = Date.parse("2026-12-05T10:00:00Z");
    const store = search.store;
    // 1000..1099 made; 1010..1014 lost; everything else stored (the 1h candle counts it).
    const ids = Array.from({ length: 100 }, (_, i) => 1000 + i).filter((id) => id < 1010 || id > 1014);
    const trades = ids.map((id, i) => ({ key: `t${id}`, item: { exchange: "binance", symbol: "SOLUSDT", base: "SOL", quote: "USDT", tradeId: String(id), price: 200 + i / 100, size: 1, side: "buy" as const, time: H + i * 1000 } }));
    // And one trade the hour before, with no collector report (as from the webhook): listed, untracked.
    trades.push({ key: "t-webhook", item: { exchange: "binance", symbol: "SOLUSDT", base: "SOL", quote: "USDT", tradeId: "webhook-1", price: 199, size: 1, side: "buy" as const, time: H - 60_000 } });
    const stored = await writeMarketBatch({ ...store, now: () => H + 3_600_000 }, { trades });
    assert.equal(stored.failed.size, 0);
    const hour = (windowEnd: number, h: Partial<MarketCompleteness["hours"][number]>): { key: string; item: MarketCompleteness } => ({
      key: `w${windowEnd}`,
      item: {
        exchange: "binance", windowId: `w${windowEnd}`, windowStart: windowEnd - 62_000, windowEnd, mode: "ids", events: [],
        hours: [{ symbol: "SOLUSDT", base: "SOL", hour: H, live: 0, backfilled: 0, lost: 0, pendingTrades: 0, pendingGaps: 0, ...h }],
      },
    });
    const reports = [
      hour(H + 1_800_000, { live: 50, backfilled: 12, lost: 5, pendingTrades: 3, pendingGaps: 1, firstId: "1000", lastId: "1060" }),
      hour(H + 1_860_000, { live: 39, backfilled: 3, pendingTrades: 0, pendingGaps: 0, firstId: "1055", lastId: "1099" }),
    ];
    await writeCompleteness(store, reports);
    await writeCompleteness(store, reports.slice(0, 1)); // a redelivered report overwrites itself
    await store.client.indices.refresh({ index: `${store.config.indexPrefix}*` });
    const answer = await ask({ symbol: "SOLUSDT", from: new Date(H - 3_600_000).toISOString(), to: new Date(H + 3_600_000).toISOString() });
    assert.deepEqual(answer.hours, [
      { exchange: "binance", hour: new Date(H - 3_600_000).toISOString(), mode: null, expected: null, stored: 1, backfilled: 0, knownMissing: 0, pending: 0, pendingGaps: 0, complete: false },
      { exchange: "binance", hour: new Date(H).toISOString(), mode: "ids", expected: 100, stored: 95, backfilled: 15, knownMissing: 5, pending: 0, pendingGaps: 0, complete: true },
    ]);
    await assert.rejects(ask({ symbol: "BTC/USDT" }), /symbol/);
  });
});
