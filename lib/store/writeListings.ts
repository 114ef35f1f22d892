// Latest listing row per site+symbol: newest wins by the time the page was read.
import { listingDocId } from "./documentIds.ts";
import type { StoreContext } from "./StoreContext.ts";
import type { Keyed, ListingDoc } from "./types.ts";
import { writeNewestWins, type NewestWinsResult } from "./writeNewestWins.ts";

export type ListingWriteResult = NewestWinsResult<ListingDoc>;

export function writeListings(ctx: StoreContext, listings: readonly Keyed<ListingDoc>[]): Promise<ListingWriteResult> {
  return writeNewestWins(ctx, listings, {
    index: ctx.names.listings(),
    id: (l) => listingDocId(l.source, l.symbol),
    version: (l) => l.observedAt,
    doc: (l) => ({ ...l }),
  });
}
