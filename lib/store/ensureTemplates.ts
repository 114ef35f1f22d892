// Installs (or overwrites with the same content) every index template. Safe to
// call at each cold start; concurrent calls are harmless. Indices that exist
// already keep their mapping: a changed field takes effect at the next
// daily/monthly/yearly index, an added field (ADDED_FIELDS) is added to them.
import { IndexNames, type IndexKind } from "./IndexNames.ts";
import { ADDED_FIELDS, indexTemplates } from "./indexTemplates.ts";
import type { SearchClient } from "./SearchClient.ts";
import type { StoreConfig } from "./StoreConfig.ts";

/** An index prefix, or the configuration (prefix and trade shards). */
export type TemplateTarget = string | Pick<StoreConfig, "indexPrefix" | "tradeShards">;

function resolve(target: TemplateTarget): { prefix: string; tradeShards?: number } {
  return typeof target === "string" ? { prefix: target } : { prefix: target.indexPrefix, tradeShards: target.tradeShards };
}

export async function ensureTemplates(client: SearchClient, target: TemplateTarget): Promise<string[]> {
  const { prefix, tradeShards } = resolve(target);
  const templates = indexTemplates(prefix, { tradeShards });
  await Promise.all(
    templates.map((t) => client.indices.putIndexTemplate({ name: t.name, body: t.body as never })),
  );
  const names = new IndexNames(prefix);
  await Promise.all(
    Object.entries(ADDED_FIELDS).map(([kind, properties]) =>
      client.indices
        .putMapping({ index: names.pattern(kind as IndexKind), allow_no_indices: true, ignore_unavailable: true, body: { properties } as never })
        .catch((error: unknown) => {
          // No index of that kind yet: the template gives the next one the field.
          if (!/index_not_found/.test(String((error as { body?: unknown }).body ? JSON.stringify((error as { body?: unknown }).body) : error))) throw error;
        }),
    ),
  );
  return templates.map((t) => t.name);
}

const done = new WeakMap<SearchClient, Map<string, Promise<string[]>>>();

/** `ensureTemplates` once per client and target for the life of the process; a failure is retried next call. */
export function ensureTemplatesOnce(client: SearchClient, target: TemplateTarget): Promise<string[]> {
  const key = JSON.stringify(resolve(target));
  let byTarget = done.get(client);
  if (byTarget === undefined) done.set(client, (byTarget = new Map()));
  let p = byTarget.get(key);
  if (p === undefined) {
    p = ensureTemplates(client, target);
    byTarget.set(key, p);
    p.catch(() => byTarget.delete(key));
  }
  return p;
}
