// What every write needs: the client, the configuration, index names, a clock.
import type { BulkWriteOptions } from "./bulkWrite.ts";
import { IndexNames } from "./IndexNames.ts";
import type { SearchClient } from "./SearchClient.ts";
import type { StoreConfig } from "./StoreConfig.ts";

/** `C`: the client as its creator typed it (tests keep the full client for their own checks). */
export interface StoreContext<C extends SearchClient = SearchClient> {
  client: C;
  config: StoreConfig;
  names: IndexNames;
  now: () => number;
}

export function createStoreContext<C extends SearchClient>(client: C, config: StoreConfig, now: () => number = Date.now): StoreContext<C> {
  return { client, config, names: new IndexNames(config.indexPrefix), now };
}

export function bulkOptions(config: StoreConfig): BulkWriteOptions {
  return {
    maxBytes: config.bulkMaxBytes,
    maxOperations: config.bulkMaxOperations,
    concurrency: config.bulkConcurrency,
    retries: config.bulkRetries,
    backoffMs: config.bulkBackoffMs,
  };
}

/** Refreshes the given indices (missing ones ignored) so searches see what was written. */
export async function refreshIndices(ctx: StoreContext, indices: Iterable<string>): Promise<void> {
  const list = [...new Set(indices)].sort();
  if (list.length === 0) return;
  await ctx.client.indices.refresh({ index: list.join(","), ignore_unavailable: true });
}
