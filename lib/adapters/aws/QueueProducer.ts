import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, type MessageAttributeValue, type SQSClient } from "@aws-sdk/client-sqs";
import type { Envelope, PayloadRef } from "../../../contracts/envelope.ts";
import { fifoToken, isFifoQueue, messageGroupOf } from "../../../contracts/messageGroups.ts";
import type { MessageProducer } from "../../queue/MessageProducer.ts";
import { planBatches, SQS_LIMITS, type BatchLimits } from "../../queue/planBatches.ts";
import { findInvalidSqsText, invalidSqsTextReason } from "../../queue/sqsText.ts";

export interface ClaimCheckStore {
  s3: S3Client;
  bucket: string;
}

export interface ProducerOptions {
  limits?: BatchLimits;
  /** Where payloads too large for a message go; without it such an envelope is an error. */
  claimCheck?: ClaimCheckStore;
  /** Attempts for entries that failed for a non-sender reason (throttling, service errors). */
  maxAttempts?: number;
}

/** Some envelopes could not be enqueued; lists their ids so nothing is silently lost. */
export class EnqueueError extends Error {
  override readonly name: string = "EnqueueError";
  constructor(
    readonly failedIds: string[],
    reason: string,
  ) {
    super(`${failedIds.length} message(s) not enqueued: ${reason}`);
  }
}

/** An envelope holds text SQS would refuse; nothing of the call was sent. */
export class InvalidMessageTextError extends EnqueueError {
  override readonly name = "InvalidMessageTextError";
  constructor(
    readonly envelopeId: string,
    /** Path in the envelope, e.g. `payload.title`. */
    readonly field: string,
    codePoint: number,
  ) {
    super([envelopeId], `${field} ${invalidSqsTextReason(codePoint)}`);
  }
}

interface OutgoingMessage {
  envelopeId: string;
  /** FIFO queues only (contracts/messageGroups.ts). */
  groupId: string;
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  bytes: number;
}

function attributesFor(envelope: Envelope): Record<string, MessageAttributeValue> {
  return {
    correlationId: { DataType: "String", StringValue: envelope.correlationId },
    schema: { DataType: "String", StringValue: envelope.schema },
  };
}

function sizeOf(body: string, attributes: Record<string, MessageAttributeValue>): number {
  let bytes = Buffer.byteLength(body);
  for (const [name, value] of Object.entries(attributes)) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? "") + Buffer.byteLength(value.StringValue ?? "");
  }
  return bytes;
}

/** Sends envelopes with SendMessageBatch within SQS's entry and size limits. */
export class QueueProducer implements MessageProducer {
  private readonly limits: BatchLimits;
  private readonly maxAttempts: number;

  constructor(
    private readonly sqs: SQSClient,
    private readonly options: ProducerOptions = {},
  ) {
    this.limits = options.limits ?? SQS_LIMITS;
    this.maxAttempts = options.maxAttempts ?? 4;
  }

  async send(queueUrl: string, envelopes: readonly Envelope[]): Promise<void> {
    // Every envelope is checked before the first batch goes: SendMessageBatch
    // refuses entries one by one, so a late refusal would leave the call half sent.
    for (const envelope of envelopes) {
      const bad = findInvalidSqsText(envelope);
      if (bad) throw new InvalidMessageTextError(envelope.id, bad.path, bad.codePoint);
    }
    const messages: OutgoingMessage[] = [];
    for (const envelope of envelopes) messages.push(await this.toMessage(envelope));
    for (const batch of planBatches(messages, this.limits)) await this.sendBatch(queueUrl, batch);
  }

  private async toMessage(envelope: Envelope): Promise<OutgoingMessage> {
    const attributes = attributesFor(envelope);
    const groupId = messageGroupOf(envelope);
    const body = JSON.stringify(envelope);
    const bytes = sizeOf(body, attributes);
    if (bytes <= this.limits.maxMessageBytes) return { envelopeId: envelope.id, groupId, body, attributes, bytes };
    const ref = await this.storePayload(envelope);
    const { payload: _stored, ...rest } = envelope;
    const pointer = JSON.stringify({ ...rest, payloadRef: ref });
    return { envelopeId: envelope.id, groupId, body: pointer, attributes, bytes: sizeOf(pointer, attributes) };
  }

  private async storePayload(envelope: Envelope): Promise<PayloadRef> {
    const claimCheck = this.options.claimCheck;
    if (!claimCheck) {
      throw new EnqueueError([envelope.id], `message exceeds ${this.limits.maxMessageBytes} bytes and no claim-check bucket is configured`);
    }
    const body = JSON.stringify(envelope.payload);
    const key = `payloads/${envelope.schema.replace("/", "-")}/${envelope.producedAt.slice(0, 10)}/${encodeURIComponent(envelope.id)}.json`;
    await claimCheck.s3.send(
      new PutObjectCommand({ Bucket: claimCheck.bucket, Key: key, Body: body, ContentType: "application/json" }),
    );
    return { bucket: claimCheck.bucket, key, bytes: Buffer.byteLength(body) };
  }

  private async sendBatch(queueUrl: string, batch: OutgoingMessage[]): Promise<void> {
    // A FIFO queue needs a group per message; the envelope id (deterministic from the
    // content) deduplicates a resend within SQS's five minutes, e.g. this method's retry.
    const fifo = isFifoQueue(queueUrl);
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: pending.map((m, i) => ({
            Id: String(i),
            MessageBody: m.body,
            MessageAttributes: m.attributes,
            ...(fifo ? { MessageGroupId: m.groupId, MessageDeduplicationId: fifoToken(m.envelopeId) } : {}),
          })),
        }),
      );
      const failed = result.Failed ?? [];
      if (failed.length === 0) return;
      const senderFaults = failed.filter((f) => f.SenderFault);
      if (senderFaults.length > 0 || attempt >= this.maxAttempts) {
        const ids = failed.map((f) => pending[Number(f.Id)]!.envelopeId);
        throw new EnqueueError(ids, failed.map((f) => `${f.Code}: ${f.Message}`).join("; "));
      }
      pending = failed.map((f) => pending[Number(f.Id)]!);
      await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}
