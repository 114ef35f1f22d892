import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSearchServer } from "@cryptoviz/local-search";
import type { Envelope } from "../../contracts/envelope.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { silentLogger } from "../../lib/log/jsonLogger.ts";
import { consumeMarketMessages, type PricePayload } from "../../lib/market/consume/consumeMarketMessages.ts";
import { RecordingNotifier } from "../../lib/notify/notifier.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";

/** A local search endpoint with the store's templates, fresh per suite. */
export async function startStore(now: () => number = Date.now): Promise<{ store: StoreContext; url: string; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "market-store-"));
  const server = await startSearchServer({ port: 0, dataDir });
  const config = readStoreConfig({ SEARCH_URL: server.url });
  const store = createStoreContext(createSearchClient(config), config, now);
  await ensureTemplates(store.client, config.indexPrefix);
  return {
    store,
    url: server.url,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs consume-prices' domain over envelopes (as validated off the queue), ten at a time; returns what was published. */
export async function consumeAll(store: StoreContext, envelopes: ReadonlyArray<Envelope<unknown>>): Promise<RecordingNotifier> {
  const notifier = new RecordingNotifier();
  const logger = silentLogger;
  for (let i = 0; i < envelopes.length; i += 10) {
    const messages = envelopes.slice(i, i + 10).map((envelope, j) => ({ messageId: `m${i + j}`, envelope: envelope as Envelope<PricePayload>, receiveCount: 1 }));
    const outcome = await consumeMarketMessages(messages, { store, notifier, logger });
    const failed = [...(outcome.failedMessageIds ?? [])];
    if (failed.length > 0) throw new Error(`${failed.length} message(s) not stored`);
  }
  return notifier;
}
