import { sha256Hex } from "../ingest/ingestRequest.ts";
import type { Envelope } from "../queue/envelope.ts";
import { MARKET_BATCH_SCHEMA, type MarketBatch, type Quote, type Trade } from "./schemas.ts";

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
 * The `market.batch/v1` envelopes of one archived batch: chunk i carries
 * trades[i*500…] and quotes[i*500…] with id `<batchId>-<i>`, exactly as the
 * ingest webhook plans them (lib/ingest/ingestRequest.ts). A batch with
 * neither trades nor quotes (only ticks) has no envelope.
 */
export function marketEnvelopes(
  exchange: string,
  batchId: string,
  trades: readonly Trade[],
  quotes: readonly Quote[],
  producedAt: Date,
  correlationId: string,
): Envelope<MarketBatch>[] {
  const chunks = Math.max(Math.ceil(trades.length / RECORDS_PER_MESSAGE), Math.ceil(quotes.length / RECORDS_PER_MESSAGE));
  const envelopes: Envelope<MarketBatch>[] = [];
  for (let i = 0; i < chunks; i++) {
    const from = i * RECORDS_PER_MESSAGE;
    envelopes.push({
      schema: MARKET_BATCH_SCHEMA,
      id: `${batchId}-${i}`,
      source: exchange,
      producedAt: producedAt.toISOString(),
      correlationId,
      payload: { exchange, trades: trades.slice(from, from + RECORDS_PER_MESSAGE), quotes: quotes.slice(from, from + RECORDS_PER_MESSAGE) },
    });
  }
  return envelopes;
}
