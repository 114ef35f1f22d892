// "Newest wins" for documents that hold the latest state of something (a quote,
// a listing row): each write carries the item's own time as an external version,
// so OpenSearch refuses (409) anything not newer than what is stored. A late
// older item, or a retry of the same one, is then a no-op in any order.
import { bulkWrite, failuresByKey, isOk, type BulkOperation } from "./bulkWrite.ts";
import type { StoreError } from "./errors.ts";
import { bulkOptions, type StoreContext } from "./StoreContext.ts";
import type { Keyed } from "./types.ts";

export interface NewestWinsResult<T> {
  /** Items now stored (they were newer than what was there). */
  accepted: T[];
  /** Items refused as not newer than the stored one (retries included); older ones of the same batch are not even sent. */
  stale: number;
  failed: Map<string, StoreError>;
}

export interface NewestWinsOptions<T> {
  index: string;
  id: (item: T) => string;
  /** Epoch ms: the external version. */
  version: (item: T) => number;
  doc: (item: T) => T;
  /** Already-failed keys (e.g. invalid input) to report beside the write's failures. */
  failed?: Map<string, StoreError>;
}

export async function writeNewestWins<T>(ctx: StoreContext, items: readonly Keyed<T>[], options: NewestWinsOptions<T>): Promise<NewestWinsResult<T>> {
  const failed = options.failed ?? new Map<string, StoreError>();
  // Within the batch only the newest item per id needs sending.
  const newest = new Map<string, { item: T; keys: Set<string> }>();
  for (const { key, item } of items) {
    const id = options.id(item);
    const entry = newest.get(id);
    if (entry === undefined) newest.set(id, { item, keys: new Set([key]) });
    else {
      entry.keys.add(key);
      if (options.version(item) > options.version(entry.item)) entry.item = item;
    }
  }
  const ops: BulkOperation[] = [...newest.entries()].map(([id, { item, keys }]) => ({
    action: "index",
    index: options.index,
    id,
    doc: options.doc(item),
    version: options.version(item),
    versionType: "external",
    keys: [...keys],
  }));
  const results = ops.length > 0 ? await bulkWrite(ctx.client, ops, bulkOptions(ctx.config)) : [];
  failuresByKey(results, (r) => r.status === 409, failed);
  return {
    accepted: results.filter(isOk).map((r) => r.op.doc as T),
    stale: results.filter((r) => r.status === 409).length,
    failed,
  };
}
