// Candles repair themselves when a late trade arrives (a backfilled gap, a replay):
// every timeframe of its buckets is recomputed to what a computation from scratch
// over all the trades gives, a repeat of the same late trade changes nothing, and
// the coin's refresh notification names the repaired buckets.
import type { Client } from "@opensearch-project/opensearch";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startSearchServer } from "@cryptoviz/local-search";
import type { PriceFeedRefresh } from "../../contracts/api.ts";
import type { MarketBatch, Trade } from "../../contracts/market.ts";
import { bucketStart } from "../../lib/candles/bucketStart.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { consumeMarketMessages, type PricePayload } from "../../lib/market/consume/consumeMarketMessages.ts";
import { RecordingNotifier } from "../../lib/notify/notifier.ts";
import type { ConsumedMessage } from "../../lib/queue/processQueueBatch.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";
import type { CandleDoc, MarketTrade } from "../../lib/store/types.ts";
import { candleDiff, genTrades, refCandles } from "../store/reference.ts";

const START = Date.parse("2026-03-02T12:00:00Z");
const NOW = () => Date.parse("2026-03-02T12:30:00Z");
const quiet = { info() {}, warn() {}, error() {} };

let dataDir: string;
let server: Awaited<ReturnType<typeof startSearchServer>>;
let store: StoreContext<Client>;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "late-trades-"));
  server = await startSearchServer({ port: 0, dataDir });
  const config = readStoreConfig({ SEARCH_URL: server.url });
  store = createStoreContext(createSearchClient(config), config, NOW);
  await ensureTemplates(store.client, config);
});
after(async () => {
  await store?.client.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const wire = (t: MarketTrade): Trade => ({
  exchange: t.exchange, symbol: t.symbol, base: "BTC", quote: "USDT", price: t.price, size: t.size,
  side: t.side ?? "buy", tradeId: t.tradeId, ts: t.time, receivedAt: t.time + 50,
});

function message(messageId: string, exchange: string, trades: MarketTrade[]): ConsumedMessage<PricePayload> {
  const payload: MarketBatch = { exchange, trades: trades.map(wire), quotes: [] };
  return {
    messageId,
    receiveCount: 1,
    envelope: { schema: "market.batch/v1", id: `id-${messageId}`, source: exchange, producedAt: new Date(NOW()).toISOString(), correlationId: "c", payload },
  };
}

/** Every served candle stored, by document id (with updatedAt, to see what was rewritten). */
async function storedCandles(): Promise<Map<string, CandleDoc>> {
  await store.client.indices.refresh({ index: "cryptoviz-candles-*" });
  const { body } = await store.client.search({
    index: "cryptoviz-candles-*",
    body: { size: 10_000, query: { bool: { must_not: [{ term: { timeframe: "1s" } }] } } },
  });
  const hits = body.hits.hits as Array<{ _id: string; _source: CandleDoc }>;
  return new Map(hits.map((h) => [h._id, h._source]));
}

function assertFromScratch(stored: Map<string, CandleDoc>, trades: MarketTrade[]): void {
  const want = refCandles(trades);
  const problems: string[] = [];
  for (const [id, expected] of want) {
    const got = stored.get(id);
    const diff = got ? candleDiff(got, expected) : "missing";
    if (diff) problems.push(`${id}: ${diff}`);
  }
  for (const id of stored.keys()) if (!want.has(id)) problems.push(`unexpected ${id}`);
  assert.deepEqual(problems.slice(0, 5), [], `${problems.length} candles differ from a computation from scratch`);
}

describe("late trades repair their candles", () => {
  it("a late trade in a closed minute changes its 1m, 15m, 1h and 1d candles as a from-scratch computation says; sent twice it changes nothing; a refresh names the buckets", async () => {
    // Six minutes of on-time trades on two exchanges, one symbol.
    const onTime = genTrades({ seed: 16, count: 400, start: START, spanMs: 6 * 60_000, exchanges: ["binance", "kucoin"], symbols: ["BTCUSDT"] });
    const notifier = new RecordingNotifier();
    const deps = { store, notifier, logger: quiet };
    for (const exchange of ["binance", "kucoin"]) {
      const outcome = await consumeMarketMessages([message(`on-${exchange}`, exchange, onTime.filter((t) => t.exchange === exchange))], deps);
      assert.deepEqual([...(outcome.failedMessageIds ?? [])], []);
    }
    const before = await storedCandles();
    assertFromScratch(before, onTime);

    // 28 minutes later, a trade from 12:02:30 arrives (a backfilled gap): a new high and the minute's first trade.
    const lateTime = Date.parse("2026-03-02T12:02:00.000Z");
    const late: MarketTrade = { exchange: "binance", symbol: "BTCUSDT", tradeId: "late-1", price: 250, size: 2, side: "sell", time: lateTime };
    notifier.published.length = 0;
    const outcome = await consumeMarketMessages([message("late", "binance", [late])], deps);
    assert.deepEqual([...(outcome.failedMessageIds ?? [])], []);
    const repaired = await storedCandles();
    assertFromScratch(repaired, [...onTime, late]);
    for (const tf of ["1m", "15m", "1h", "1d"] as const) {
      for (const scope of ["binance", "all"]) {
        const id = `${scope}|BTCUSDT|${tf}|${bucketStart(tf, lateTime)}`;
        assert.notDeepEqual(repaired.get(id)?.high, before.get(id)?.high, `${id} repaired`);
        assert.equal(repaired.get(id)?.high, 250, id);
      }
    }
    const refresh = notifier.published.find((n) => n.topic === "cryptoviz/price-feed/BTC/notify/refresh");
    assert.ok(refresh, "a refresh for the coin");
    const changed = new Map((refresh.payload as PriceFeedRefresh).changed.map((c) => [c.timeframe, c]));
    for (const tf of ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"] as const) {
      assert.deepEqual(changed.get(tf), { timeframe: tf, from: bucketStart(tf, lateTime), to: bucketStart(tf, lateTime), buckets: 1 }, tf);
    }

    // The same late trade again (a replay, a second backfill): nothing is rewritten, no refresh.
    notifier.published.length = 0;
    const again = await consumeMarketMessages([message("late-again", "binance", [late])], deps);
    assert.deepEqual([...(again.failedMessageIds ?? [])], []);
    assert.deepEqual(await storedCandles(), repaired, "same candles, same updatedAt: nothing rewritten");
    assert.equal(notifier.published.some((n) => n.topic.endsWith("/notify/refresh")), false, "no refresh when nothing changed");
  });
});
