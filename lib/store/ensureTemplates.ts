// Installs (or overwrites with the same content) every index template. Safe to
// call at each cold start; concurrent calls are harmless. Indices that exist
// already keep their mapping: a mapping change takes effect at the next
// daily/monthly/yearly index.
import type { Client } from "@opensearch-project/opensearch";
import { indexTemplates } from "./indexTemplates.ts";

export async function ensureTemplates(client: Client, prefix: string): Promise<string[]> {
  const templates = indexTemplates(prefix);
  await Promise.all(
    templates.map((t) => client.indices.putIndexTemplate({ name: t.name, body: t.body as never })),
  );
  return templates.map((t) => t.name);
}

const done = new WeakMap<Client, Map<string, Promise<string[]>>>();

/** `ensureTemplates` once per client and prefix for the life of the process; a failure is retried next call. */
export function ensureTemplatesOnce(client: Client, prefix: string): Promise<string[]> {
  let byPrefix = done.get(client);
  if (byPrefix === undefined) done.set(client, (byPrefix = new Map()));
  let p = byPrefix.get(prefix);
  if (p === undefined) {
    p = ensureTemplates(client, prefix);
    byPrefix.set(prefix, p);
    p.catch(() => byPrefix.delete(prefix));
  }
  return p;
}
