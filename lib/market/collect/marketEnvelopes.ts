import { sha256Hex } from "../../../contracts/hash.ts";
import type { Envelope } from "../../../contracts/envelope.ts";
import { MARKET_BATCH_V2_SCHEMA, tradeColumns, type MarketBatchV2, type Quote, type Trade } from "../../../contracts/market.ts";

/** Records per message: the webhook's chunk size, so a batch replays to the same ids whoever archived it. */
export const RECORDS_PER_MESSAGE = 500;

/**
 * A content hash of a batch's records as archived (`toJsonLines`): the same records always get
 * the same id, hence the same archive key and envelope ids.
 */
export function marketBatchId(exchange: string, symbol: string, recordsJsonLines: string): string {
  return sha256Hex(`${exchange}\n${symbol}\n${recordsJsonLines}`);
}

/**
 * The `market.batch/v2` envelopes of one archived batch: chunk i carries
 * trades[i*500…] (as columns) and quotes[i*500…] with id `<batchId>-<i>`, the
 * ids the ingest webhook gives its chunks (lib/ingest/ingestRequest.ts). A
 * batch with neither trades nor quotes (only ticks) has no envelope.
 */
export function marketEnvelopes(
  exchange: string,
  batchId: string,
  trades: readonly Trade[],
  quotes: readonly Quote[],
  producedAt: Date,
  correlationId: string,
): Envelope<MarketBatchV2>[] {
  const chunks = Math.max(Math.ceil(trades.length / RECORDS_PER_MESSAGE), Math.ceil(quotes.length / RECORDS_PER_MESSAGE));
  const envelopes: Envelope<MarketBatchV2>[] = [];
  for (let i = 0; i < chunks; i++) {
    const from = i * RECORDS_PER_MESSAGE;
    envelopes.push({
      schema: MARKET_BATCH_V2_SCHEMA,
      id: `${batchId}-${i}`,
      source: exchange,
      producedAt: producedAt.toISOString(),
      correlationId,
      payload: {
        exchange,
        trades: tradeColumns(exchange, trades.slice(from, from + RECORDS_PER_MESSAGE)),
        quotes: quotes.slice(from, from + RECORDS_PER_MESSAGE),
      },
    });
  }
  return envelopes;
}
