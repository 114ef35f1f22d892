import type { Client } from "@opensearch-project/opensearch";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startSearchServer } from "@cryptoviz/local-search";
import { consumeMarketMessages, type PricePayload } from "../../lib/market/consume/consumeMarketMessages.ts";
import { RecordingNotifier } from "../../lib/notify/notifier.ts";
import type { ConsumedMessage } from "../../lib/queue/processQueueBatch.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";

let server: Awaited<ReturnType<typeof startSearchServer>>;
let store: StoreContext<Client>;
const quiet = { info() {}, warn() {}, error() {} };

before(async () => {
  server = await startSearchServer({ port: 0, dataDir: mkdtempSync(join(tmpdir(), "listings-")) });
  const config = readStoreConfig({ SEARCH_URL: server.url });
  store = createStoreContext(createSearchClient(config), config);
  await ensureTemplates(store.client, config.indexPrefix);
});
after(async () => {
  await store.client.close();
  await server.close();
});

const listing = (messageId: string, price: number, observedAt: string): ConsumedMessage<PricePayload> => ({
  messageId,
  receiveCount: 1,
  envelope: {
    schema: "market.listing/v1", id: `id-${messageId}`, source: "coinmarketcap.com", producedAt: observedAt, correlationId: "c",
    payload: { source: "coinmarketcap.com", symbol: "BTC", name: "Bitcoin", currency: "USD", price, marketCap: price * 19.8e6, observedAt },
  },
});

describe("consume-prices with listing rows from the price scrapers", () => {
  it("keeps the newest row per site and symbol, whatever the arrival order, and notifies the coin's feed", async () => {
    const notifier = new RecordingNotifier();
    const outcome = await consumeMarketMessages(
      [listing("m2", 98_500, "2026-11-22T10:01:00.000Z"), listing("m1", 97_000, "2026-11-22T10:00:00.000Z")],
      { store, notifier, logger: quiet },
    );
    assert.deepEqual([...(outcome.failedMessageIds ?? [])], []);
    // A redelivery and a late older row change nothing.
    await consumeMarketMessages([listing("m1", 97_000, "2026-11-22T10:00:00.000Z")], { store, notifier, logger: quiet });
    await store.client.indices.refresh({ index: "cryptoviz-listings" });
    const { body } = await store.client.search({ index: "cryptoviz-listings", body: { query: { match_all: {} } } });
    const hits = body.hits.hits as Array<{ _source: { price: number } }>;
    assert.equal(hits.length, 1, "one document per site and symbol");
    assert.equal(hits[0]!._source.price, 98_500, "the newest row wins");
    assert.ok(notifier.published.some((n) => n.topic === "cryptoviz/price-feed/BTC/notify/data"));
  });
});
