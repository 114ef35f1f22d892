// Latest quote per exchange+symbol, "newest wins": each write carries the
// exchange timestamp as an external version, so OpenSearch refuses (409) a
// quote that is not newer than the stored one. An older quote arriving late,
// or a retry of the same quote, is therefore a no-op, whatever the order.
import { addFailure } from "./bulkWrite.ts";
import { quoteDocId } from "./documentIds.ts";
import { PermanentStoreError, type StoreError } from "./errors.ts";
import type { StoreContext } from "./StoreContext.ts";
import type { Keyed, QuoteDoc } from "./types.ts";
import { quoteProblem } from "./validateMarketData.ts";
import { writeNewestWins, type NewestWinsResult } from "./writeNewestWins.ts";

export type QuoteWriteResult = NewestWinsResult<QuoteDoc>;

function quoteDoc(q: QuoteDoc): QuoteDoc {
  const doc: QuoteDoc = { exchange: q.exchange, symbol: q.symbol, bid: q.bid, ask: q.ask, at: q.at };
  if (q.bidSize !== undefined) doc.bidSize = q.bidSize;
  if (q.askSize !== undefined) doc.askSize = q.askSize;
  if (q.last !== undefined) doc.last = q.last;
  if (q.receivedAt !== undefined) doc.receivedAt = q.receivedAt;
  return doc;
}

export async function writeQuotes(ctx: StoreContext, quotes: readonly Keyed<QuoteDoc>[]): Promise<QuoteWriteResult> {
  const failed = new Map<string, StoreError>();
  const valid: Keyed<QuoteDoc>[] = [];
  for (const keyed of quotes) {
    const problem = quoteProblem(keyed.item);
    if (problem === undefined) valid.push(keyed);
    else addFailure(failed, keyed.key, new PermanentStoreError(problem, { type: "invalid_quote" }));
  }
  return writeNewestWins(ctx, valid, {
    index: ctx.names.quotes(),
    id: (q) => quoteDocId(q.exchange, q.symbol),
    version: (q) => q.at,
    doc: quoteDoc,
    failed,
  });
}
