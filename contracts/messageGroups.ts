// FIFO message groups: which messages of a FIFO queue one consumer takes at a time.
//
// price-tasks is a FIFO queue grouped by the store's symbol (BTCUSDT for Binance's
// BTCUSDT and Kucoin's BTC-USDT alike): SQS hands a group's messages to one
// invocation at a time, so the two concurrent consume-prices invocations never
// recompute the same candles (the cross-exchange `all` ones included) and never
// conflict on them. Groups only partition the work: correctness does not rest on
// them (candle writes stay conditional), so a batch of several symbols is fine.
import type { Envelope } from "./envelope.ts";
import { sha256Hex } from "./hash.ts";
import { storeSymbol } from "./symbols.ts";
import { MARKET_COMPLETENESS_SCHEMA } from "./completeness.ts";
import { MARKET_LISTING_SCHEMA } from "./listing.ts";
import { MARKET_BATCH_SCHEMA, MARKET_BATCH_V2_SCHEMA } from "./market.ts";

/** SQS: MessageGroupId and MessageDeduplicationId are 1–128 of these characters. */
const FIFO_TOKEN = /^[\x21-\x7e]{1,128}$/;

/** A queue's URL or name is FIFO's when it ends in `.fifo` (SQS requires the suffix). */
export function isFifoQueue(urlOrName: string): boolean {
  return urlOrName.endsWith(".fifo");
}

type Pair = { base?: unknown; quote?: unknown };

function symbolsOf(records: unknown): string[] {
  if (!Array.isArray(records)) return [];
  return records.flatMap((r: Pair) => (typeof r?.base === "string" && typeof r?.quote === "string" ? [storeSymbol(r.base, r.quote)] : []));
}

/**
 * The group of an envelope on a FIFO queue. Market batches: their store symbol
 * (`BTCUSDT`), or `mixed` for a webhook batch of several; listings one group;
 * completeness reports one per exchange; anything else, its schema.
 */
export function messageGroupOf(envelope: Pick<Envelope, "schema" | "payload" | "source">): string {
  const payload = (envelope.payload ?? {}) as { exchange?: unknown; trades?: unknown; quotes?: unknown };
  switch (envelope.schema) {
    case MARKET_BATCH_SCHEMA:
    case MARKET_BATCH_V2_SCHEMA: {
      const symbols = new Set([...symbolsOf(payload.trades), ...symbolsOf(payload.quotes)]);
      return symbols.size === 1 ? fifoToken([...symbols][0]!) : "mixed";
    }
    case MARKET_LISTING_SCHEMA:
      return "listings";
    case MARKET_COMPLETENESS_SCHEMA:
      return fifoToken(`completeness:${String(payload.exchange ?? envelope.source)}`);
    default:
      return fifoToken(envelope.schema);
  }
}

/** A value SQS takes as a group or deduplication id: itself when it is one (readable in the console), else its SHA-256. */
export function fifoToken(value: string): string {
  return FIFO_TOKEN.test(value) ? value : sha256Hex(value, 64);
}
