import assert from "node:assert/strict";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Context, ScheduledEvent } from "aws-lambda";
import type { CollectionStats } from "../../lib/market/collect/runCollectionWindow.ts";
import { startMarketSimulator, type MarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../../test/helpers/localSqsS3.ts";
import { BUCKET, createBucket, drainQueue, freshQueue } from "../../test/market/collectorHarness.ts";

let cloud: LocalSqsS3;
let sim: MarketSimulator;
let queueUrl: string;
let handler: (event: ScheduledEvent, context: Context) => Promise<CollectionStats>;

before(async () => {
  cloud = await startLocalSqsS3();
  await createBucket(cloud);
  sim = await startMarketSimulator({ port: 0, seed: "handler", symbols: ["BTC-USDT", "ETH-USDT", "BTC-USD", "ETH-USD"], tradesPerSecond: 50 });
  const queue = await freshQueue(cloud);
  queueUrl = queue.url;
  Object.assign(process.env, {
    CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    RAW_BUCKET: BUCKET,
    PRICE_QUEUE: queue.name,
    MARKET_BINANCE_WS_URL: sim.urls.binance,
    MARKET_KUCOIN_REST_URL: sim.urls.kucoinRest,
    MARKET_BITMEX_WS_URL: sim.urls.bitmex,
    MARKET_BINANCE_REST_URL: sim.urls.binanceRest,
    MARKET_BITMEX_REST_URL: sim.urls.bitmexRest,
    MARKET_FLUSH_RESERVE_MS: "1500",
    MARKET_WINDOW_MS: "60000",
  });
  ({ handler } = (await import("./handler.ts")) as unknown as { handler: typeof handler });
});
after(async () => {
  await sim.close();
  await cloud.close();
});

describe("collect-market handler", () => {
  it("runs one window sized by the context's remaining time and ships every exchange's data", async () => {
    const event = JSON.parse(readFileSync("functions/collect-market/event.json", "utf8")) as ScheduledEvent;
    const context = { ...lambdaContext("collect-market"), getRemainingTimeInMillis: () => 2500 };
    const started = Date.now();
    const stats = await handler(event, context);
    assert.equal(stats.windowMs, 1000, "remaining 2500 ms minus the 1500 ms flush reserve");
    assert.ok(Date.now() - started < 2500, "returned before the timeout");
    const messages = await drainQueue(cloud, queueUrl);
    assert.deepEqual(new Set(messages.map((m) => m.source)), new Set(["binance", "kucoin", "bitmex"]));
    assert.equal(messages.flatMap((m) => m.payload.trades).length, stats.shipped.tradesEnqueued);
    assert.ok(messages.every((m) => m.correlationId === event.id), "the schedule event id follows the messages");
    // The gap ledgers are kept in the raw bucket for the next window.
    const saved = await cloud.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "state/market/binance/gaps.json" }));
    const state = JSON.parse(await saved.Body!.transformToString()) as { symbols: Record<string, { upTo?: string }> };
    assert.ok(state.symbols.BTCUSDT?.upTo, "the last shipped BTCUSDT trade id is saved");
    assert.deepEqual(Object.keys(stats.gaps ?? {}).sort(), ["binance", "bitmex", "kucoin"]);
  });
});
