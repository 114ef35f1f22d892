// The one switch of the search contract tests: by default they run against the
// local endpoint (fresh server, port 0, temp data dir); with OPENSEARCH_URL set
// they run against that real cluster, under a unique index prefix that is
// deleted afterwards.
//   OPENSEARCH_URL=https://localhost:9200 OPENSEARCH_USERNAME=admin OPENSEARCH_PASSWORD=... \
//     npm test            (in packages/local-search)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { Client } from "@opensearch-project/opensearch";
import { startSearchServer, type SearchServer } from "../src/index.ts";

export interface Target {
  client: Client;
  url: string;
  /** True against a real OpenSearch cluster. */
  real: boolean;
  /** Prefix every index and template name with this. */
  prefix: string;
  /** Prefixed name. */
  name(n: string): string;
  /** The local server (undefined against a real cluster). */
  server?: SearchServer;
  dataDir?: string;
  close(): Promise<void>;
}

export const REAL_URL = process.env.OPENSEARCH_URL;

export async function startTarget(): Promise<Target> {
  const run = randomBytes(3).toString("hex");
  if (REAL_URL) {
    const auth = process.env.OPENSEARCH_USERNAME ? { username: process.env.OPENSEARCH_USERNAME, password: process.env.OPENSEARCH_PASSWORD ?? "" } : undefined;
    const client = new Client({ node: REAL_URL, auth, ssl: { rejectUnauthorized: process.env.OPENSEARCH_INSECURE !== "1" } });
    const prefix = `ctest-${run}-`;
    return {
      client,
      url: REAL_URL,
      real: true,
      prefix,
      name: (n) => prefix + n,
      async close() {
        await client.indices.delete({ index: `${prefix}*` }, { ignore: [404] });
        const t = await client.indices.getIndexTemplate({ name: `${prefix}*` }, { ignore: [404] });
        const names = ((t.body as { index_templates?: { name: string }[] }).index_templates ?? []).map((x) => x.name);
        for (const n of names) await client.indices.deleteIndexTemplate({ name: n }, { ignore: [404] });
        await client.close();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), "search-test-"));
  const server = await startSearchServer({ port: 0, dataDir });
  const client = new Client({ node: server.url });
  const prefix = `ctest-${run}-`;
  return {
    client,
    url: server.url,
    real: false,
    prefix,
    name: (n) => prefix + n,
    server,
    dataDir,
    async close() {
      await client.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The OpenSearch error of a rejected call: status, type and reason. */
export async function failure(p: Promise<unknown>): Promise<{ status: number; type: string; rootType: string; reason: string; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const meta = (err as { meta?: { statusCode?: number; body?: unknown } }).meta;
    if (!meta) throw err;
    const body = (typeof meta.body === "string" ? JSON.parse(meta.body) : meta.body) as { error: { type: string; reason: string; root_cause: { type: string }[] } };
    return {
      status: meta.statusCode ?? 0,
      type: body.error.type,
      rootType: body.error.root_cause?.[0]?.type ?? body.error.type,
      reason: body.error.reason,
      body: body as unknown as Record<string, unknown>,
    };
  }
  throw new Error("expected the request to fail");
}

/** Bulk-indexes documents with ids, refreshing afterwards; fails on any item error. */
export async function indexAll(client: Client, index: string, docs: { id: string; doc: Record<string, unknown> }[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 2000) {
    const body: unknown[] = [];
    for (const d of docs.slice(i, i + 2000)) body.push({ index: { _index: index, _id: d.id } }, d.doc);
    const r = await client.bulk({ body: body as never });
    if ((r.body as { errors: boolean }).errors) throw new Error("bulk had errors: " + JSON.stringify(r.body).slice(0, 500));
  }
  await client.indices.refresh({ index });
}

export function approx(actual: number, expected: number, rel = 1e-9): boolean {
  return Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected));
}
