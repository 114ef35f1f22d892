// A collector run against the simulator with injected id gaps, a disconnect and a
// window boundary: what is stored is every trade the simulator made, none twice,
// counted against the simulator's own count. And the failure paths: a gap older
// than REST reaches is recorded as lost; a REST failure leaves it pending, filled
// by the next window from the S3 state.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import type { Envelope } from "../../../contracts/envelope.ts";
import type { MarketCompleteness } from "../../../contracts/completeness.ts";
import type { MarketBatch } from "../../../contracts/market.ts";
import { QueueProducer } from "../../../lib/adapters/aws/QueueProducer.ts";
import { S3RawArchive } from "../../../lib/adapters/aws/S3RawArchive.ts";
import { S3StateStore } from "../../../lib/adapters/aws/S3StateStore.ts";
import { runCollectionWindow, type CollectionStats } from "../../../lib/market/collect/runCollectionWindow.ts";
import { startMarketSimulator, type MarketSimulator } from "../../../localcloud/market-sim/startMarketSimulator.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../../helpers/localSqsS3.ts";
import { collectorConfig, drainQueue, freshQueue } from "../collectorHarness.ts";

let cloud: LocalSqsS3;
let bucketN = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  cloud = await startLocalSqsS3();
});
after(() => cloud.close());

/** A collector with its own bucket (so its gap state is its own) and queue; windows share both. */
async function collector(sim: MarketSimulator, env: Record<string, string>) {
  const bucket = `gaps-test-${++bucketN}`;
  await cloud.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const queue = await freshQueue(cloud);
  const config = collectorConfig(sim, queue.name, { MARKET_GAP_FILL_DELAY_MS: "300", MARKET_BACKFILL_MAX_MS: "8000", ...env });
  const deps = {
    archive: new S3RawArchive(cloud.s3, bucket),
    producer: new QueueProducer(cloud.sqs, { claimCheck: { s3: cloud.s3, bucket } }),
    queueUrl: async () => queue.url,
    state: new S3StateStore(cloud.s3, bucket),
  };
  const batches: Array<Envelope<MarketBatch>> = [];
  const reports: Array<Envelope<MarketCompleteness>> = [];
  return {
    batches,
    reports,
    async window(windowMs: number, during?: (elapsed: () => number) => Promise<void>): Promise<CollectionStats> {
      let acting: Promise<void> | undefined;
      const stats = await runCollectionWindow({ ...config, windowMs }, deps, {
        remainingTimeMs: 60_000,
        correlationId: `gaps-${bucketN}`,
        onStarted: () => {
          const t0 = Date.now();
          acting = during?.(() => Date.now() - t0);
        },
      });
      await acting;
      batches.push(...(await drainQueue(cloud, queue.url, reports)));
      return stats;
    },
  };
}

/** Trade ids stored per `exchange:symbol`, every one once. */
function storedIds(batches: ReadonlyArray<Envelope<MarketBatch>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of batches.flatMap((b) => b.payload.trades)) {
    const key = `${t.exchange}:${t.symbol}`;
    if (!out.has(key)) out.set(key, []);
    out.get(key)!.push(t.tradeId);
  }
  return out;
}

describe("gaps: detection and REST backfill against the simulator", () => {
  it("injected id gaps, a disconnect and a window boundary: every trade the simulator made is stored once", async () => {
    const sim = await startMarketSimulator({ port: 0, seed: "gaps", runId: 11, symbols: ["BTC-USDT"], tradesPerSecond: 30, quotesPerSecond: 2 });
    try {
      const c = await collector(sim, { MARKET_BINANCE_SYMBOLS: "BTCUSDT", MARKET_KUCOIN_SYMBOLS: "BTC-USDT", MARKET_BITMEX_SYMBOLS: "XBTUSDT" });
      const first = await c.window(2000, async (elapsed) => {
        await sleep(400);
        sim.withholdTrades("binance", 7);
        sim.withholdTrades("kucoin", 5);
        while (elapsed() < 1000) await sleep(20);
        // A network drop with a short outage, so trades are certainly made and never sent
        // (a bare drop may reconnect before the next trade on a loaded machine).
        sim.dropConnections(undefined, { refuseForMs: 300 });
      });
      await sleep(500); // between windows: nobody listens
      const second = await c.window(1500, async () => {
        await sleep(700);
        sim.stopTrading(); // from here on the simulator's count is final
      });

      const made = sim.stats().tradesGeneratedBy;
      const stored = storedIds(c.batches);
      for (const [key, expected] of [["binance:BTCUSDT", made["binance:BTCUSDT"]], ["kucoin:BTC-USDT", made["kucoin:BTC-USDT"]], ["bitmex:XBTUSDT", made["bitmex:XBTUSDT"]]] as const) {
        const ids = stored.get(key) ?? [];
        assert.ok(expected! > 40, `${key}: the simulator made ${expected}`);
        assert.equal(new Set(ids).size, ids.length, `${key}: no trade stored twice`);
        assert.equal(ids.length, expected, `${key}: stored every trade the simulator made`);
      }
      // Sequenced exchanges: exactly the ids the simulator gave, 11e9 + 0 … n-1.
      for (const key of ["binance:BTCUSDT", "kucoin:BTC-USDT"]) {
        const ids = stored.get(key)!.map(Number).sort((a, b) => a - b);
        assert.deepEqual([ids[0], ids.at(-1)], [11e9, 11e9 + ids.length - 1], key);
      }
      assert.ok(sim.stats().tradesWithheld.binance === 7 && sim.stats().tradesWithheld.kucoin === 5);
      const g1 = first.gaps!;
      assert.ok(g1.binance!.found >= 2 && g1.kucoin!.found >= 2, `gaps found in window 1: ${JSON.stringify(g1)}`);
      assert.ok(g1.bitmex!.found >= 1, "the reconnect opened a time gap on BitMEX");
      assert.ok(second.gaps!.bitmex!.found >= 1, "and so did the window boundary");
      for (const s of [first, second]) for (const g of Object.values(s.gaps!)) assert.equal(g.pendingGaps, 0, JSON.stringify(g));
      const events = c.reports.flatMap((r) => r.payload.events);
      assert.ok(events.some((e) => e.kind === "opened" && e.exchange === "binance" && e.trades === 7), "the withheld ids were reported as one gap");
      assert.ok(events.some((e) => e.kind === "filled" && e.exchange === "binance"));
    } finally {
      await sim.close();
    }
  });

  it("a gap older than REST history reaches (Kucoin keeps 100 trades) is recorded as known and lost", async () => {
    const sim = await startMarketSimulator({ port: 0, seed: "lost", runId: 12, symbols: ["BTC-USDT"], tradesPerSecond: 300, quotesPerSecond: 1 });
    try {
      const c = await collector(sim, { MARKET_EXCHANGES: "kucoin", MARKET_KUCOIN_SYMBOLS: "BTC-USDT", MARKET_GAP_FILL_DELAY_MS: "800" });
      const stats = await c.window(2200, async () => {
        await sleep(300);
        sim.withholdTrades("kucoin", 240);
        await sleep(1400);
        sim.stopTrading();
      });
      const g = stats.gaps!.kucoin!;
      const made = sim.stats().tradesGeneratedBy["kucoin:BTC-USDT"]!;
      const ids = storedIds(c.batches).get("kucoin:BTC-USDT")!;
      assert.ok(g.lost >= 140, `at least the 140 beyond the last 100 are lost: ${JSON.stringify(g)}`);
      assert.equal(g.pendingGaps, 0, "a lost gap is not pending");
      assert.equal(ids.length + g.lost, made, "stored + known lost = what the simulator made");
      const lost = c.reports.flatMap((r) => r.payload.events).filter((e) => e.kind === "lost");
      assert.equal(lost.reduce((n, e) => n + e.trades, 0), g.lost);
      assert.equal(c.reports.flatMap((r) => r.payload.hours).reduce((n, h) => n + h.lost, 0), g.lost, "counted in the hour it opened in");
    } finally {
      await sim.close();
    }
  });

  it("a REST failure never fails the window: the gap stays pending in S3 and the next window fills it", async () => {
    const sim = await startMarketSimulator({ port: 0, seed: "pending", runId: 13, symbols: ["BTC-USDT"], tradesPerSecond: 40, quotesPerSecond: 1 });
    try {
      const c = await collector(sim, { MARKET_EXCHANGES: "binance", MARKET_BINANCE_SYMBOLS: "BTCUSDT" });
      sim.setRestFailure("binance", { status: 429 });
      const first = await c.window(1200, async () => {
        await sleep(300);
        sim.withholdTrades("binance", 9);
      });
      const g1 = first.gaps!.binance!;
      assert.match(g1.stoppedBy ?? "", /rate-limited/);
      assert.ok(g1.pendingTrades >= 9, `the withheld ids (and the window's tail) stay pending: ${JSON.stringify(g1)}`);
      assert.equal(g1.filled, 0);

      sim.setRestFailure("binance", "unreachable");
      const second = await c.window(600);
      assert.match(second.gaps!.binance!.stoppedBy ?? "", /unavailable/);
      assert.ok(second.gaps!.binance!.pendingTrades >= g1.pendingTrades, "still pending, nothing forgotten");

      sim.setRestFailure("binance", undefined);
      const third = await c.window(800, async () => {
        await sleep(300);
        sim.stopTrading();
      });
      const g3 = third.gaps!.binance!;
      assert.equal(g3.pendingGaps, 0, JSON.stringify(g3));
      assert.ok(g3.filled >= 9);
      const ids = storedIds(c.batches).get("binance:BTCUSDT")!;
      assert.equal(ids.length, new Set(ids).size);
      assert.equal(ids.length, sim.stats().tradesGeneratedBy["binance:BTCUSDT"], "in the end, every trade made");
    } finally {
      await sim.close();
    }
  });

  it("overlapping windows: what the earlier one shipped is neither fetched again nor called lost by the later one", async () => {
    const sim = await startMarketSimulator({ port: 0, seed: "overlap", runId: 14, symbols: ["BTC-USDT"], tradesPerSecond: 100, quotesPerSecond: 1 });
    try {
      const c = await collector(sim, { MARKET_EXCHANGES: "binance,kucoin", MARKET_BINANCE_SYMBOLS: "BTCUSDT", MARKET_KUCOIN_SYMBOLS: "BTC-USDT" });
      await c.window(500); // the state both overlapping windows start from
      // A collects for 3 s; B starts 2 s into A, from the same saved state (A has not saved yet).
      const a = c.window(3000);
      await sleep(2000);
      const b = c.window(3000, async () => {
        await sleep(2500);
        sim.stopTrading();
      });
      const [earlier, later] = await Promise.all([a, b]);
      // B said it was live within its first second; A stopped then instead of reading to its end.
      assert.equal(earlier.handedOff, true, "the earlier window handed off to the later one");
      // A window read to its end takes its 3,000 ms and then its end-of-window phase.
      assert.ok(earlier.elapsedMs < 3000, `the earlier window stopped early (${earlier.elapsedMs} ms, end-of-window phase included, for a 3,000 ms window)`);
      assert.equal(later.handedOff, false);
      for (const exchange of ["binance", "kucoin"]) {
        const g = later.gaps![exchange]!;
        // Without the join, B would fetch (Binance) or write off as lost (Kucoin) the ~200 trades A shipped before B began.
        assert.ok(g.filled < 60 && g.lost === 0, `${exchange}: ${JSON.stringify(g)}`);
        assert.equal(g.pendingGaps, 0);
      }
      const made = sim.stats().tradesGeneratedBy;
      const stored = storedIds(c.batches);
      for (const key of ["binance:BTCUSDT", "kucoin:BTC-USDT"]) {
        assert.equal(new Set(stored.get(key)).size, made[key], `${key}: every trade made is stored (the overlap's live repeats are the store's to drop)`);
        // Read twice only while B connected and A saw it live: well under the 1 s both would otherwise read (100 trades/s).
        const repeats = stored.get(key)!.length - made[key]!;
        assert.ok(repeats < 60, `${key}: ${repeats} trades shipped twice`);
      }
    } finally {
      await sim.close();
    }
  });
});
