import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { currentPrice } from "../../lib/api/questions.ts";
import { runCollectionWindow } from "../../lib/market/collect/runCollectionWindow.ts";
import { startMarketSimulator, type MarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { collectorConfig, collectorDeps, createBucket, drainQueue, freshQueue } from "./collectorHarness.ts";
import { consumeAll, startStore } from "./storeHarness.ts";

let cloud: LocalSqsS3;
let sim: MarketSimulator;
let search: Awaited<ReturnType<typeof startStore>>;

before(async () => {
  [cloud, sim, search] = await Promise.all([
    startLocalSqsS3(),
    startMarketSimulator({ port: 0, seed: "book-ticker", symbols: ["BTC-USDT"], tradesPerSecond: 50, quotesPerSecond: 10 }),
    startStore(),
  ]);
  await createBucket(cloud);
});
after(async () => {
  await Promise.all([sim.close(), cloud.close(), search.close()]);
});

describe("Binance best bid/ask (bookTicker)", () => {
  it("with Binance alone, the collector's quotes let /price/current answer", async () => {
    const queue = await freshQueue(cloud);
    const config = collectorConfig(sim, queue.name, { MARKET_EXCHANGES: "binance", MARKET_BINANCE_SYMBOLS: "BTCUSDT", MARKET_WINDOW_MS: "1200" });
    const stats = await runCollectionWindow(config, collectorDeps(cloud, queue.url), { remainingTimeMs: 60_000, correlationId: "book-ticker" });
    const envelopes = await drainQueue(cloud, queue.url);
    const quotes = envelopes.flatMap((e) => e.payload.quotes);
    assert.ok(stats.exchanges.binance!.quotesIn >= 5, `bookTicker quotes read: ${stats.exchanges.binance!.quotesIn}`);
    assert.equal(quotes.length, stats.exchanges.binance!.quotesIn, "every quote read is enqueued");
    assert.ok(quotes.every((q) => q.exchange === "binance" && q.bid < q.ask));

    await consumeAll(search.store, envelopes);
    await search.store.client.indices.refresh({ index: `${search.store.config.indexPrefix}*` });
    const answer = await currentPrice(search.store, Date.now(), "BTCUSDT");
    const last = quotes.at(-1)!;
    assert.deepEqual([answer.buy.exchange, answer.buy.price, answer.sell.price], ["binance", last.ask, last.bid]);
  });

  it("MARKET_BINANCE_BOOK_TICKER=false subscribes to trades only", async () => {
    const queue = await freshQueue(cloud);
    const config = collectorConfig(sim, queue.name, { MARKET_EXCHANGES: "binance", MARKET_BINANCE_SYMBOLS: "BTCUSDT", MARKET_WINDOW_MS: "600", MARKET_BINANCE_BOOK_TICKER: "false" });
    const stats = await runCollectionWindow(config, collectorDeps(cloud, queue.url), { remainingTimeMs: 60_000, correlationId: "no-book-ticker" });
    assert.equal(stats.exchanges.binance!.quotesIn, 0);
    assert.ok(stats.exchanges.binance!.tradesIn > 0);
  });
});
