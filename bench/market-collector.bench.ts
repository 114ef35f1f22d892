// Market simulator and collector on loopback: how fast the simulator can feed one
// client, and what one collector sustains end to end into the local SQS + S3
// (every received trade archived and enqueued, counted on the emulator).
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import WebSocket from "ws";
import { runCollectionWindow } from "../lib/market/collect/runCollectionWindow.ts";
import { startMarketSimulator } from "../localcloud/market-sim/startMarketSimulator.ts";
import { startLocalSqsS3 } from "../test/helpers/localSqsS3.ts";
import { collectorConfig, collectorDeps, createBucket, freshQueue } from "../test/market/collectorHarness.ts";

const quick = process.argv.includes("--quick");
const SECONDS = quick ? 2 : 4;

/** Trades one plain websocket client receives per second at a requested rate. */
async function simulatorDelivery(exchange: "binance" | "bitmex", rate: number): Promise<number> {
  const sim = await startMarketSimulator({ port: 0, seed: "bench", symbols: ["BTC-USDT"], tradesPerSecond: rate, quotesPerSecond: 0 });
  const url = exchange === "binance" ? `${sim.urls.binance}/ws/btcusdt@trade` : `${sim.urls.bitmex}/realtime?subscribe=trade:XBTUSDT`;
  const ws = new WebSocket(url);
  let trades = 0;
  ws.on("message", (m) => {
    const text = String(m);
    if (exchange === "binance") trades++;
    else if (text.startsWith('{"table":"trade","action":"insert"')) trades += JSON.parse(text).data.length;
  });
  await new Promise((r) => ws.once("open", r));
  await new Promise((r) => setTimeout(r, 300)); // warm-up
  const start = trades;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const perSecond = (trades - start) / ((performance.now() - t0) / 1000);
  ws.close();
  await sim.close();
  return perSecond;
}

console.log(`simulator → one websocket client, ${SECONDS} s per rate`);
for (const exchange of ["binance", "bitmex"] as const) {
  for (const rate of quick ? [20_000, 80_000] : [5_000, 20_000, 50_000, 100_000]) {
    const perSecond = await simulatorDelivery(exchange, rate);
    console.log(`  ${exchange.padEnd(8)} requested ${String(rate).padStart(6)} trades/s → delivered ${perSecond.toFixed(0).padStart(6)} trades/s (${((100 * perSecond) / rate).toFixed(0)}%)`);
  }
}

const cloud = await startLocalSqsS3();
await createBucket(cloud);
console.log(`\nsimulator → collector → local SQS + S3, ${SECONDS * 2} s window, per-symbol batches of 100 / 1 s`);
for (const [exchange, symbols, perStream] of [
  ["binance", "BTCUSDT,ETHUSDT", quick ? 5_000 : 10_000],
  ["bitmex", "XBTUSDT,ETHUSDT", quick ? 5_000 : 10_000],
  ["kucoin", "BTC-USDT,ETH-USDT", quick ? 2_500 : 5_000],
] as const) {
  const sim = await startMarketSimulator({ port: 0, seed: "bench", symbols: ["BTC-USDT", "ETH-USDT"], tradesPerSecond: perStream, quotesPerSecond: 10 });
  const queue = await freshQueue(cloud);
  const upper = exchange.toUpperCase();
  const config = collectorConfig(sim, queue.name, {
    MARKET_EXCHANGES: exchange, [`MARKET_${upper}_SYMBOLS`]: symbols, MARKET_WINDOW_MS: String(SECONDS * 2000), MARKET_BINANCE_MINI_TICKER: "false", MARKET_SHIP_CONCURRENCY: "8",
  });
  const memBefore = process.memoryUsage().rss;
  const stats = await runCollectionWindow(config, collectorDeps(cloud, queue.url), { remainingTimeMs: 600_000, correlationId: "bench" });
  const session = stats.exchanges[exchange]!;
  const attrs = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ["ApproximateNumberOfMessages"] }));
  const onQueue = Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
  const lost = session.tradesIn - stats.shipped.tradesEnqueued;
  console.log(
    `  ${exchange.padEnd(8)} offered ${2 * perStream} trades/s: received ${(session.tradesIn / (stats.windowMs / 1000)).toFixed(0)} trades/s, ` +
      `${stats.shipped.batches} batches → ${onQueue} messages on the queue (${stats.shipped.envelopes} sent), ` +
      `final flush ${stats.elapsedMs - stats.windowMs} ms, max ${stats.shipped.maxPending} batches waiting, ` +
      `rss +${((process.memoryUsage().rss - memBefore) / 1e6).toFixed(0)} MB, reconnects ${session.reconnects}, not enqueued ${lost}`,
  );
  if (lost !== 0 || onQueue !== stats.shipped.envelopes) process.exitCode = 1;
  await sim.close();
}
await cloud.close();
