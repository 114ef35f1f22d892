import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MARKET_BATCH_V2_SCHEMA } from "../../contracts/market.ts";
import { runCollectionWindow, type CollectionStats } from "../../lib/market/collect/runCollectionWindow.ts";
import { startMarketSimulator, type MarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";
import type { Envelope } from "../../contracts/envelope.ts";
import { QueueProducer } from "../../lib/adapters/aws/QueueProducer.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { archivedObjects, collectorConfig, collectorDeps, createBucket, drainQueue, freshQueue, tradeKey } from "./collectorHarness.ts";

let cloud: LocalSqsS3;
let sim: MarketSimulator;

before(async () => {
  cloud = await startLocalSqsS3();
  await createBucket(cloud);
  sim = await startMarketSimulator({ port: 0, seed: "collector-test", symbols: ["BTC-USDT", "ETH-USDT", "BTC-USD", "ETH-USD"], tradesPerSecond: 150, quotesPerSecond: 10 });
});
after(async () => {
  await sim.close();
  await cloud.close();
});

async function collect(exchange: string, windowMs: number, env: Record<string, string> = {}, onStarted?: () => void) {
  const queue = await freshQueue(cloud);
  const config = collectorConfig(sim, queue.name, { MARKET_EXCHANGES: exchange, MARKET_WINDOW_MS: String(windowMs), ...env });
  const stats = await runCollectionWindow(config, collectorDeps(cloud, queue.url), {
    remainingTimeMs: 60_000, correlationId: `test-${exchange}`, ...(onStarted ? { onStarted } : {}),
  });
  const envelopes = await drainQueue(cloud, queue.url);
  return { stats, envelopes };
}

/** Every record the collector read is on the queue once and in the archive once. */
async function assertExactlyOnce(exchange: string, stats: CollectionStats, envelopes: Awaited<ReturnType<typeof collect>>["envelopes"]) {
  const session = stats.exchanges[exchange]!;
  const trades = envelopes.flatMap((e) => e.payload.trades);
  const quotes = envelopes.flatMap((e) => e.payload.quotes);
  const gaps = stats.gaps?.[exchange] ?? { repeats: 0, filled: 0 };
  assert.ok(session.tradesIn > 0, `${exchange}: trades were received`);
  // What was read (less repeats), plus what REST filled in: trades made while the socket closed at the end, say.
  assert.equal(trades.length, session.tradesIn - gaps.repeats + gaps.filled, `${exchange}: every trade received is enqueued, and the backfilled ones`);
  assert.equal(new Set(trades.map(tradeKey)).size, trades.length, `${exchange}: no trade enqueued twice`);
  assert.equal(quotes.length, session.quotesIn, `${exchange}: every quote received is enqueued`);
  if (Object.keys(stats.exchanges).length === 1) assert.equal(stats.shipped.tradesEnqueued, trades.length);

  // The archive holds exactly the flushed batches: one object per batch id, same records.
  const batchIds = new Set(envelopes.map((e) => e.id.replace(/-\d+$/, "")));
  const objects = (await archivedObjects(cloud, `raw/${exchange}/`)).filter((o) => batchIds.has(o.key.slice(o.key.lastIndexOf("/") + 1, -".jsonl.gz".length)));
  assert.equal(objects.length, batchIds.size, `${exchange}: each enqueued batch is archived once`);
  const archivedTrades = objects.flatMap((o) => o.records).filter((r) => "tradeId" in r);
  assert.equal(archivedTrades.length, trades.length, `${exchange}: every enqueued trade is in the archive`);
  assert.deepEqual(new Set(archivedTrades.map((t) => tradeKey(t as never))), new Set(trades.map(tradeKey)));
  for (const e of envelopes) {
    assert.equal(e.source, exchange);
    assert.equal(e.schema, MARKET_BATCH_V2_SCHEMA, "collectors write the columnar batch (drainQueue validated it as the consumer does)");
  }
  return { trades, quotes, objects };
}

describe("collectors against the market simulator", () => {
  it("Binance: trades enqueued and archived exactly once; mini tickers archived, not enqueued", async () => {
    const { stats, envelopes } = await collect("binance", 2200);
    await assertExactlyOnce("binance", stats, envelopes);
    const session = stats.exchanges.binance!;
    assert.ok(session.ticksIn >= 2, "a mini-ticker array arrives every second");
    assert.equal(stats.shipped.ticksArchived, session.ticksIn);
    assert.equal(session.malformed, 0);
    assert.equal(session.connects, 1);
  });

  it("Kucoin: bullet token, quotes from ticker:all, trades from match, pings at the server's interval", async () => {
    const before = sim.stats();
    const { stats, envelopes } = await collect("kucoin", 1500);
    const { quotes } = await assertExactlyOnce("kucoin", stats, envelopes);
    assert.ok(quotes.length > 0, "ticker:all yields quotes");
    assert.ok(quotes.every((q) => q.bid < q.ask));
    assert.equal(stats.exchanges.kucoin!.kucoinTokens, 1);
    assert.equal(sim.stats().kucoinTokensIssued - before.kucoinTokensIssued, 1);
  });

  it("Bitmex: trade and quote tables, XBT read as BTC", async () => {
    const { stats, envelopes } = await collect("bitmex", 1500);
    const { trades, quotes } = await assertExactlyOnce("bitmex", stats, envelopes);
    assert.ok(quotes.length > 0);
    assert.ok(trades.some((t) => t.symbol === "XBTUSD" && t.base === "BTC" && t.quote === "USD"));
  });

  it("a dropped connection mid-window: reconnects with backoff and loses nothing it received", async () => {
    let droppedAt = 0;
    let dropped = 0;
    const { stats, envelopes } = await collect("binance,bitmex", 2500, {}, () => {
      setTimeout(() => {
        droppedAt = Date.now();
        dropped = sim.dropConnections();
      }, 800);
    });
    assert.ok(dropped >= 2, "both exchanges' sockets were cut");
    for (const exchange of ["binance", "bitmex"]) {
      const session = stats.exchanges[exchange]!;
      assert.ok(session.reconnects >= 1 && session.connects >= 2, `${exchange} reconnected: ${JSON.stringify(session)}`);
      const { trades } = await assertExactlyOnce(exchange, stats, envelopes.filter((e) => e.source === exchange));
      assert.ok(trades.some((t) => t.receivedAt < droppedAt) && trades.some((t) => t.receivedAt > droppedAt + 100), `${exchange}: trades before and after the drop`);
    }
  });

  it("a Kucoin token refresh: expired tokens force a new bullet call on reconnect", async () => {
    const before = sim.stats();
    let expiredAt = 0;
    const { stats, envelopes } = await collect("kucoin", 2500, {}, () => {
      setTimeout(() => {
        expiredAt = Date.now();
        sim.expireKucoinTokens();
      }, 800);
    });
    const after = sim.stats();
    const session = stats.exchanges.kucoin!;
    assert.ok(session.reconnects >= 1 && session.connects >= 2, JSON.stringify(session));
    assert.ok(session.kucoinTokens! >= 2, "a fresh token for the new connection");
    assert.equal(after.kucoinTokensRejected - before.kucoinTokensRejected, 0, "the old token was never reused");
    const { trades } = await assertExactlyOnce("kucoin", stats, envelopes);
    assert.ok(trades.some((t) => t.receivedAt > expiredAt + 100), "trades flow again after the refresh");
  });

  it("final flush: with limits never reached, everything is shipped when the window ends", async () => {
    // Without gap backfill, whose end-of-window fill would ship a batch of its own.
    const { stats, envelopes } = await collect("binance", 800, { MARKET_BATCH_MAX_MESSAGES: "5000", MARKET_BATCH_MAX_AGE_MS: "60000", MARKET_BINANCE_MINI_TICKER: "false", MARKET_GAP_BACKFILL: "false" });
    assert.equal(stats.gaps, undefined);
    const trades = envelopes.flatMap((e) => e.payload.trades);
    assert.equal(trades.length, stats.exchanges.binance!.tradesIn, "every trade read is enqueued");
    assert.equal(stats.shipped.batches, 2, "one final batch per symbol");
  });
});

describe("Kucoin keep-alive", () => {
  it("pings at the interval the bullet call names, so the server never times the connection out", async () => {
    const strict = await startMarketSimulator({ port: 0, seed: "ping", symbols: ["BTC-USDT"], tradesPerSecond: 50, kucoinPingIntervalMs: 200, kucoinPingTimeoutMs: 150 });
    try {
      const queue = await freshQueue(cloud);
      const config = collectorConfig(strict, queue.name, { MARKET_EXCHANGES: "kucoin", MARKET_KUCOIN_SYMBOLS: "BTC-USDT", MARKET_WINDOW_MS: "1500" });
      const stats = await runCollectionWindow(config, collectorDeps(cloud, queue.url), { remainingTimeMs: 60_000, correlationId: "ping" });
      assert.equal(strict.stats().kucoinPingTimeouts, 0, "a silent client would have been cut after 350 ms");
      assert.equal(stats.exchanges.kucoin!.connects, 1);
      assert.ok(stats.exchanges.kucoin!.tradesIn > 0);
    } finally {
      await strict.close();
    }
  });
});

describe("bounded memory", () => {
  it("stops reading while shipping is behind, then catches up without losing what it read", async () => {
    // A real producer made slow: 400 ms per group of ≤ 10, one at a time (≤ 25 batches/s) for ~60 batches/s arriving.
    class SlowProducer extends QueueProducer {
      override async send(url: string, envelopes: readonly Envelope[]): Promise<void> {
        await new Promise((r) => setTimeout(r, 400));
        return super.send(url, envelopes);
      }
    }
    const queue = await freshQueue(cloud);
    const config = collectorConfig(sim, queue.name, {
      MARKET_EXCHANGES: "binance", MARKET_BINANCE_MINI_TICKER: "false", MARKET_WINDOW_MS: "2000",
      MARKET_BATCH_MAX_MESSAGES: "5", MARKET_SHIP_CONCURRENCY: "1", MARKET_MAX_PENDING_BATCHES: "8",
    });
    const deps = { ...collectorDeps(cloud, queue.url), producer: new SlowProducer(cloud.sqs) };
    const stats = await runCollectionWindow(config, deps, { remainingTimeMs: 60_000, correlationId: "slow" });
    assert.ok(stats.backpressure.pauses >= 1 && stats.backpressure.pausedMs > 0, JSON.stringify(stats.backpressure));
    // The backlog overshoots the mark only by what the socket buffers held during a pause
    // (~1 s of this stream here), never by the whole window's arrivals.
    assert.ok(stats.backpressure.maxBacklogWhileReading < stats.shipped.batches, JSON.stringify({ ...stats.backpressure, batches: stats.shipped.batches }));
    const envelopes = await drainQueue(cloud, queue.url);
    await assertExactlyOnce("binance", stats, envelopes);
  });
});
