import type { z } from "zod";
import type { Envelope, PayloadRef } from "../../contracts/envelope.ts";
import { PermanentError } from "../errors/failure.ts";
import type { LogSink } from "../log/LogSink.ts";
import type { DeadLetterSink } from "./DeadLetterSink.ts";
import { parseWireEnvelope, validatePayload } from "./envelope.ts";
import { PoisonMessageError } from "./errors.ts";
import type { BatchItemFailures, QueueRecord } from "./QueueRecord.ts";

export interface ConsumedMessage<P> {
  messageId: string;
  envelope: Envelope<P>;
  /** How many times SQS has delivered this message, this delivery included. */
  receiveCount: number;
}

export interface BatchOutcome {
  /** Message ids whose effect was not stored; they return to the queue. */
  failedMessageIds?: Iterable<string>;
  /** Message ids that can never succeed (e.g. refused by the store's mapping), with the reason; they go to the DLQ. */
  deadLetters?: Iterable<readonly [messageId: string, reason: string]>;
}

export interface QueueBatchOptions<P> {
  payloadSchemas: Readonly<Record<string, z.ZodType<P>>>;
  deadLetter: DeadLetterSink;
  handle: (messages: ConsumedMessage<P>[]) => Promise<BatchOutcome | void>;
  /** Loads a claim-checked payload; throw PoisonMessageError if it can never be found. */
  resolvePayload?: (ref: PayloadRef) => Promise<unknown>;
  logger?: LogSink;
}

/**
 * The consumer's side of the queue contract: validates every record, sends
 * poison messages to the DLQ with their reason, hands the valid ones to the
 * domain in one call, and reports exactly the records whose effect was not
 * stored as `batchItemFailures` (ReportBatchItemFailures).
 *
 * Powertools' BatchProcessor handles records one at a time and can only report a
 * failure for redelivery: a poison record would be retried maxReceiveCount times
 * and reach the DLQ without its reason, and the store's batched writes would be
 * split into a write per record. Hence the domain gets the whole batch here.
 */
export async function processQueueBatch<P>(event: { Records: readonly QueueRecord[] }, options: QueueBatchOptions<P>): Promise<BatchItemFailures> {
  const failures = new Set<string>();
  const deadLettered = new Set<string>();
  const valid: ConsumedMessage<P>[] = [];
  const deadLetter = async (record: QueueRecord, reason: string) => {
    try {
      await options.deadLetter.send(record, reason);
      deadLettered.add(record.messageId);
      options.logger?.warn("poison message sent to the DLQ", { messageId: record.messageId, reason });
    } catch (dlqError) {
      // Not stored anywhere yet: leave it on the queue rather than lose it.
      options.logger?.error("could not dead-letter a poison message", { messageId: record.messageId, error: String(dlqError) });
      failures.add(record.messageId);
    }
  };

  for (const record of event.Records) {
    try {
      valid.push(await decode(record, options));
    } catch (error) {
      if (error instanceof PermanentError) {
        await deadLetter(record, error.deadLetterReason());
      } else {
        options.logger?.warn("record could not be decoded, will retry", { messageId: record.messageId, error: String(error) });
        failures.add(record.messageId);
      }
    }
  }

  if (valid.length > 0) {
    try {
      const outcome = await options.handle(valid);
      for (const id of outcome?.failedMessageIds ?? []) failures.add(id);
      const records = new Map(event.Records.map((r) => [r.messageId, r]));
      for (const [id, reason] of outcome?.deadLetters ?? []) {
        const record = records.get(id);
        if (record && !failures.has(id)) await deadLetter(record, reason);
      }
    } catch (error) {
      options.logger?.error("batch handler failed, every valid record will retry", { error: String(error), count: valid.length });
      for (const message of valid) failures.add(message.messageId);
    }
  }

  holdBackGroupsAfterFailures(event.Records, failures, deadLettered);
  return { batchItemFailures: [...failures].map((itemIdentifier) => ({ itemIdentifier })) };
}

/**
 * FIFO queues: once a record of a message group fails, the group's later records in
 * the batch are reported failed too, as AWS asks of ReportBatchItemFailures on FIFO
 * queues, so a group is never processed past a record that will be retried.
 */
function holdBackGroupsAfterFailures(records: readonly QueueRecord[], failures: Set<string>, deadLettered: ReadonlySet<string>): void {
  const failedGroups = new Set<string>();
  for (const record of records) {
    const group = record.attributes?.MessageGroupId;
    // A dead-lettered record is settled (in the DLQ, with its group): returning it would duplicate it.
    if (group === undefined || deadLettered.has(record.messageId)) continue;
    if (failedGroups.has(group)) failures.add(record.messageId);
    else if (failures.has(record.messageId)) failedGroups.add(group);
  }
}

async function decode<P>(record: QueueRecord, options: QueueBatchOptions<P>): Promise<ConsumedMessage<P>> {
  const wire = parseWireEnvelope(record.body);
  let payload: unknown = wire.payload;
  if (wire.payloadRef) {
    if (!options.resolvePayload) throw new PoisonMessageError("payloadRef", "this consumer does not accept claim-checked payloads");
    payload = await options.resolvePayload(wire.payloadRef);
  }
  return {
    messageId: record.messageId,
    envelope: validatePayload(wire, payload, options.payloadSchemas),
    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? 1),
  };
}
