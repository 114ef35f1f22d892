// Where the store's integration tests run: a real cluster when OPENSEARCH_URL
// is set (auth from SEARCH_AUTH / SEARCH_USERNAME / SEARCH_PASSWORD /
// SEARCH_REGION, a unique index prefix per run, cleaned up after), otherwise
// the local OpenSearch-compatible endpoint started in-process on port 0 with
// a temporary data directory.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@opensearch-project/opensearch";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";
import { readStoreConfig, type StoreConfig } from "../../lib/store/StoreConfig.ts";

export interface SearchTarget {
  /** "real cluster at …" or "local endpoint at …" */
  description: string;
  client: Client;
  config: StoreConfig;
  context(now?: () => number): StoreContext<Client>;
  /** A prefix of its own for one test (still removed by close()). */
  withPrefix(suffix: string): { config: StoreConfig; context(now?: () => number): StoreContext<Client> };
  close(): Promise<void>;
}

export async function openSearchTarget(): Promise<SearchTarget> {
  const runPrefix = `cvtest-${process.pid}-${Date.now().toString(36)}-`;
  let stop: () => Promise<void> = async () => {};
  let endpoint: string;
  let description: string;
  if (process.env.OPENSEARCH_URL) {
    endpoint = process.env.OPENSEARCH_URL;
    description = `real cluster at ${endpoint}`;
  } else {
    const dataDir = await mkdtemp(join(tmpdir(), "cryptoviz-store-test-"));
    // Loaded only here, so that a run against a real cluster does not load the local engine.
    const { startSearchServer } = await import("@cryptoviz/local-search");
    const server = await startSearchServer({ host: "127.0.0.1", port: 0, dataDir });
    endpoint = server.url;
    description = `local endpoint at ${endpoint}`;
    stop = async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const config = readStoreConfig(process.env, { endpoint, indexPrefix: runPrefix });
  const client = createSearchClient(config);
  const make = (c: StoreConfig) => ({ config: c, context: (now?: () => number) => createStoreContext(client, c, now) });
  return {
    description,
    client,
    config,
    context: (now) => createStoreContext(client, config, now),
    withPrefix: (suffix) => make({ ...config, indexPrefix: `${runPrefix}${suffix}-` }),
    async close() {
      try {
        if (process.env.OPENSEARCH_URL) await dropPrefix(client, runPrefix);
      } finally {
        await client.close();
        await stop();
      }
    },
  };
}

/** Deletes every index and index template whose name starts with `prefix` (by name: no wildcard deletes). */
export async function dropPrefix(client: Client, prefix: string): Promise<void> {
  const indices = await client.indices.get({ index: `${prefix}*` }).then((r) => Object.keys(r.body as object), () => [] as string[]);
  for (const index of indices) await client.indices.delete({ index });
  const templates = await client.indices
    .getIndexTemplate({ name: `${prefix}*` })
    .then((r) => ((r.body as { index_templates?: { name: string }[] }).index_templates ?? []).map((t) => t.name), () => [] as string[]);
  for (const name of templates) await client.indices.deleteIndexTemplate({ name });
}
