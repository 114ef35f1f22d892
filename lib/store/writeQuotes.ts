// Latest quote per exchange+symbol, "newest wins": each write carries the
// exchange timestamp as an external version, so OpenSearch refuses (409) a
// quote that is not newer than the stored one. An older quote arriving late,
// or a retry of the same quote, is therefore a no-op, whatever the order.
import { addFailure, bulkWrite, failuresByKey, isOk, type BulkOperation } from "./bulkWrite.ts";
import { quoteDocId } from "./documentIds.ts";
import { PermanentStoreError, type StoreError } from "./errors.ts";
import { bulkOptions, type StoreContext } from "./StoreContext.ts";
import type { Keyed, Quote } from "./types.ts";
import { quoteProblem } from "./validateMarketData.ts";

export interface QuoteWriteResult {
  /** Quotes now stored (they were newer than what was there). */
  accepted: Quote[];
  /** Quotes refused as not newer than the stored one (including retries); older ones of the same batch are not even sent. */
  stale: number;
  failed: Map<string, StoreError>;
}

function quoteDoc(q: Quote): Quote {
  const doc: Quote = { exchange: q.exchange, symbol: q.symbol, bid: q.bid, ask: q.ask, at: q.at };
  if (q.bidSize !== undefined) doc.bidSize = q.bidSize;
  if (q.askSize !== undefined) doc.askSize = q.askSize;
  if (q.last !== undefined) doc.last = q.last;
  if (q.receivedAt !== undefined) doc.receivedAt = q.receivedAt;
  return doc;
}

export async function writeQuotes(ctx: StoreContext, quotes: readonly Keyed<Quote>[]): Promise<QuoteWriteResult> {
  const failed = new Map<string, StoreError>();
  // Within the batch only the newest quote per id needs sending.
  const newest = new Map<string, { quote: Quote; keys: Set<string> }>();
  for (const { key, item } of quotes) {
    const problem = quoteProblem(item);
    if (problem !== undefined) {
      addFailure(failed, key, new PermanentStoreError(problem, { type: "invalid_quote" }));
      continue;
    }
    const id = quoteDocId(item.exchange, item.symbol);
    const entry = newest.get(id);
    if (entry === undefined) newest.set(id, { quote: item, keys: new Set([key]) });
    else {
      entry.keys.add(key);
      if (item.at > entry.quote.at) entry.quote = item;
    }
  }
  const index = ctx.names.quotes();
  const ops: BulkOperation[] = [...newest.entries()].map(([id, { quote, keys }]) => ({
    action: "index",
    index,
    id,
    doc: quoteDoc(quote),
    version: quote.at,
    versionType: "external",
    keys: [...keys],
  }));
  const results = ops.length > 0 ? await bulkWrite(ctx.client, ops, bulkOptions(ctx.config)) : [];
  failuresByKey(results, (r) => r.status === 409, failed);
  return {
    accepted: results.filter(isOk).map((r) => r.op.doc as Quote),
    stale: results.filter((r) => r.status === 409).length,
    failed,
  };
}
