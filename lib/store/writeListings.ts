// Latest listing row per site+symbol, "newest wins" like quotes: the time the
// page was read is the external version, so an older or repeated row is a no-op.
import { bulkWrite, failuresByKey, isOk, type BulkOperation } from "./bulkWrite.ts";
import { listingDocId } from "./documentIds.ts";
import type { StoreError } from "./errors.ts";
import { bulkOptions, type StoreContext } from "./StoreContext.ts";
import type { Keyed, Listing } from "./types.ts";

export interface ListingWriteResult {
  accepted: Listing[];
  stale: number;
  failed: Map<string, StoreError>;
}

export async function writeListings(ctx: StoreContext, listings: readonly Keyed<Listing>[]): Promise<ListingWriteResult> {
  const newest = new Map<string, { listing: Listing; keys: Set<string> }>();
  for (const { key, item } of listings) {
    const id = listingDocId(item.source, item.symbol);
    const entry = newest.get(id);
    if (entry === undefined) newest.set(id, { listing: item, keys: new Set([key]) });
    else {
      entry.keys.add(key);
      if (item.observedAt > entry.listing.observedAt) entry.listing = item;
    }
  }
  const index = ctx.names.listings();
  const ops: BulkOperation[] = [...newest.entries()].map(([id, { listing, keys }]) => ({
    action: "index",
    index,
    id,
    doc: { ...listing },
    version: listing.observedAt,
    versionType: "external",
    keys: [...keys],
  }));
  const results = ops.length > 0 ? await bulkWrite(ctx.client, ops, bulkOptions(ctx.config)) : [];
  const failed = new Map<string, StoreError>();
  failuresByKey(results, (r) => r.status === 409, failed);
  return {
    accepted: results.filter(isOk).map((r) => r.op.doc as Listing),
    stale: results.filter((r) => r.status === 409).length,
    failed,
  };
}
