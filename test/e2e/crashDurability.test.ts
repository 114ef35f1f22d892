// A crash of the whole local stack loses nothing it accepted: webhook batches
// answered 202, then `kill -9` of the launcher; every process of the run is gone
// and every port free within seconds, and after the next `npm start` each
// article is stored exactly once (and counted once in the sentiment aggregates),
// and each trade of the FIFO price queue once (and counted once in the candles).
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Client } from "@opensearch-project/opensearch";
import { busyPorts, processesOf, startLauncher, type RunningLauncher } from "../helpers/launcher.ts";
import { localCloudEnv, type LocalCloudEnv } from "../helpers/localCloudEnv.ts";
import { waitFor } from "../helpers/waitFor.ts";

const ARTICLES = 120;
const TAG = "DOT";
const TRADES = 2000;

let setup: LocalCloudEnv;
let launcher: RunningLauncher | undefined;
let search: Client;

before(async () => {
  setup = await localCloudEnv();
  search = new Client({ node: `http://127.0.0.1:${setup.ports.search}` });
});

after(async () => {
  await launcher?.kill();
  await search.close();
  rmSync(setup.dataDir, { recursive: true, force: true });
});

async function count(index: string, body: object = { query: { match_all: {} } }): Promise<number> {
  try {
    await search.indices.refresh({ index, ignore_unavailable: true });
    return (await search.count({ index, body })).body.count;
  } catch {
    return 0;
  }
}

describe("kill -9 of the whole local stack", () => {
  it("frees every port, leaves no process, and stores every accepted article exactly once after the next start", async () => {
    // Prepare: a running stack that accepts 120 articles in 6 webhook calls.
    launcher = await startLauncher(setup);
    const accepted: string[] = [];
    for (let call = 0; call < 6; call++) {
      const items = Array.from({ length: ARTICLES / 6 }, (_, i) => {
        const n = call * (ARTICLES / 6) + i;
        return { title: `Polkadot parachain auction ${n} closes 🚀`, link: `https://example.test/dot/${n}`, tags: [TAG] };
      });
      const response = await fetch(`http://127.0.0.1:${setup.ports.api}/ingest/news`, {
        method: "POST",
        headers: { authorization: "Bearer local-ingest-token", "content-type": "application/json" },
        body: JSON.stringify({ source: "crash-test", items }),
      });
      assert.equal(response.status, 202, await response.clone().text());
      accepted.push(...((await response.json()) as { ids: string[] }).ids);
    }
    assert.equal(new Set(accepted).size, ARTICLES);
    // Two symbols, two FIFO message groups, four messages.
    const now = Date.now();
    const trades = Array.from({ length: TRADES }, (_, i) => {
      const [symbol, base] = i % 2 === 0 ? ["BTCUSDT", "BTC"] : ["ETHUSDT", "ETH"];
      return { exchange: "binance", symbol, base, quote: "USDT", price: 100 + (i % 7), size: 0.5, side: "buy", tradeId: `crash-${i}`, ts: now - 30_000 + i, receivedAt: now };
    });
    const prices = await fetch(`http://127.0.0.1:${setup.ports.api}/ingest/prices`, {
      method: "POST",
      headers: { authorization: "Bearer local-ingest-token", "content-type": "application/json" },
      body: JSON.stringify({ source: "crash-test", trades }),
    });
    assert.equal(prices.status, 202, await prices.clone().text());

    // Act: the launcher dies as soon as the consumer has begun, with batches queued and in flight.
    let storedBeforeCrash = 0;
    await waitFor("the consumer to store a first article", async () => (storedBeforeCrash = await count("cryptoviz-news-*")) > 0, 60_000, 50);
    await launcher.kill();
    const killedAt = Date.now();
    await waitFor("every process of the run to exit", () => processesOf(setup.dataDir).length === 0, 10_000, 100);
    await waitFor("every port to be free", async () => (await busyPorts(setup)).length === 0, 10_000, 100);
    const cleanupMs = Date.now() - killedAt;
    assert.ok(storedBeforeCrash < ARTICLES, `the crash came before everything was stored (${storedBeforeCrash} of ${ARTICLES})`);

    // The next start, on the same data directory.
    launcher = await startLauncher(setup);
    const requeued = Number(/(\d+) message\(s\) that were being processed/.exec(launcher.output())?.[1] ?? 0);
    await waitFor(`${ARTICLES} articles stored`, async () => (await count("cryptoviz-news-*")) >= ARTICLES, 240_000, 500);

    // Assess: each accepted id stored once, none more, and counted once per tag.
    const stored = (await search.search({ index: "cryptoviz-news-*", body: { size: 1000, _source: false, query: { match_all: {} } } })).body.hits.hits;
    assert.equal(stored.length, ARTICLES);
    const sentiment = await search.search({
      index: "cryptoviz-sentiment-*",
      body: { size: 0, query: { bool: { filter: [{ term: { tag: TAG } }, { term: { timeframe: "1h" } }] } }, aggs: { n: { sum: { field: "count" } } } },
    });
    assert.equal((sentiment.body.aggregations as { n: { value: number } }).n.value, ARTICLES, "each article counted once in the hourly sentiment");
    const tradeQuery = { query: { prefix: { tradeId: "crash-" } } };
    await waitFor(`${TRADES} trades stored`, async () => (await count("cryptoviz-trades-*", tradeQuery)) >= TRADES, 240_000, 500);
    assert.equal(await count("cryptoviz-trades-*", tradeQuery), TRADES);
    const candles = await search.search({
      index: "cryptoviz-candles-1m-*",
      body: { size: 0, query: { bool: { filter: [{ term: { exchange: "binance" } }, { terms: { symbol: ["BTCUSDT", "ETHUSDT"] } }] } }, aggs: { n: { sum: { field: "trades" } } } },
    });
    assert.equal((candles.body.aggregations as { n: { value: number } }).n.value, TRADES, "each trade counted once in the 1m candles");
    console.log(`# kill -9 → every process gone and every port free in ${cleanupMs} ms; stored before the crash ${storedBeforeCrash}, in flight then and queued again at start ${requeued}, after the restart ${stored.length} of ${ARTICLES}`);
    assert.equal(await launcher.stop(), 0);
  });
});
