import type { MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { QueueRecord } from "../../queue/QueueRecord.ts";
import { toSqsSafeText } from "../../queue/sqsText.ts";

/** Message attribute names carried by dead-lettered messages (read by `npm run queues -- peek`). */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: "cryptoviz-failure-reason",
  sourceQueue: "cryptoviz-source-queue",
  originalMessageId: "cryptoviz-original-message-id",
  failedAt: "cryptoviz-failed-at",
  /** The original body's size in bytes, present when the body had to be cut to make room for the reason. */
  bodyTruncatedFrom: "cryptoviz-body-truncated-from",
  /** Names of original attributes left out (SQS allows 10 attributes, and 256 KiB in all). */
  droppedAttributes: "cryptoviz-dropped-attributes",
} as const;

/** SQS's limits for one message: attributes count toward the size (name + type + value bytes). */
export const SQS_MESSAGE_LIMITS = { maxBytes: 262_144, maxAttributes: 10 } as const;

/** Our own attribute values are bounded; a reason quoting a whole payload helps no one. */
const MAX_OWN_VALUE_CHARS = 1024;

export interface DeadLetterMessage {
  body: string;
  attributes: Record<string, MessageAttributeValue>;
}

type Attributes = Record<string, MessageAttributeValue>;

const utf8 = (text: string) => Buffer.byteLength(text);

function attributeBytes(name: string, value: MessageAttributeValue): number {
  const data = value.BinaryValue ? value.BinaryValue.byteLength : utf8(value.StringValue ?? "");
  return utf8(name) + utf8(value.DataType ?? "") + data;
}

function sizeOf(body: string, attributes: Attributes): number {
  let bytes = utf8(body);
  for (const [name, value] of Object.entries(attributes)) bytes += attributeBytes(name, value);
  return bytes;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(Math.max(0, maxBytes)));
  return text.slice(0, read);
}

function ownValue(text: string): MessageAttributeValue {
  // Cut by code point (a split surrogate pair is text SQS refuses), then make what is left valid SQS text:
  // a reason may quote a decoded payload that holds characters SQS does not accept.
  const cut = Array.from(text).slice(0, MAX_OWN_VALUE_CHARS).join("");
  return { DataType: "String", StringValue: toSqsSafeText(cut) || "(empty)" };
}

function originalAttributes(record: QueueRecord): Array<[string, MessageAttributeValue]> {
  const out: Array<[string, MessageAttributeValue]> = [];
  for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
    if (name.startsWith("cryptoviz-")) continue; // a message dead-lettered before: ours replace the old ones
    if (value.stringValue !== undefined) out.push([name, { DataType: value.dataType, StringValue: value.stringValue }]);
    else if (value.binaryValue !== undefined) out.push([name, { DataType: value.dataType, BinaryValue: Buffer.from(value.binaryValue, "base64") }]);
  }
  // The producer's own attributes first (they name the message in the logs), then by name: a stable choice when some must go.
  const rank = (name: string) => (name === "correlationId" ? 0 : name === "schema" ? 1 : 2);
  return out.sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The message a poison record becomes on its DLQ: the original body and
 * attributes plus ours (the reason first of all). The reason must always
 * arrive, so the result always fits SQS's limits: original attributes beyond
 * the 10-attribute limit, then (largest first) those the size limit has no
 * room for, are left out and named; if the body alone still leaves no room,
 * it is cut and its original size recorded.
 */
export function deadLetterMessage(record: QueueRecord, reason: string, failedAt: Date, limits = SQS_MESSAGE_LIMITS): DeadLetterMessage {
  const ours: Attributes = {
    [DEAD_LETTER_ATTRIBUTES.reason]: ownValue(reason),
    [DEAD_LETTER_ATTRIBUTES.sourceQueue]: ownValue(record.eventSourceARN ?? "unknown"),
    [DEAD_LETTER_ATTRIBUTES.originalMessageId]: ownValue(record.messageId),
    [DEAD_LETTER_ATTRIBUTES.failedAt]: ownValue(failedAt.toISOString()),
  };
  let kept = originalAttributes(record);
  const dropped: string[] = [];
  // All originals when they fit beside ours; otherwise one slot goes to naming those left out.
  // (The body is only ever cut once every original is out, so the marker always has room.)
  const room = limits.maxAttributes - Object.keys(ours).length;
  const slots = kept.length <= room ? room : room - 1;
  if (kept.length > slots) {
    dropped.push(...kept.slice(slots).map(([name]) => name));
    kept = kept.slice(0, slots);
  }
  const assemble = (body: string, truncatedFrom?: number): DeadLetterMessage => {
    const attributes: Attributes = { ...Object.fromEntries(kept), ...ours };
    if (dropped.length > 0) attributes[DEAD_LETTER_ATTRIBUTES.droppedAttributes] = ownValue(dropped.join(","));
    if (truncatedFrom !== undefined) attributes[DEAD_LETTER_ATTRIBUTES.bodyTruncatedFrom] = { DataType: "Number", StringValue: String(truncatedFrom) };
    return { body, attributes };
  };

  let message = assemble(record.body);
  if (sizeOf(message.body, message.attributes) <= limits.maxBytes) return message;
  // Over the size limit: original attributes go before any of the body, largest first.
  kept.sort(([na, a], [nb, b]) => attributeBytes(nb, b) - attributeBytes(na, a));
  while (kept.length > 0 && sizeOf(message.body, message.attributes) > limits.maxBytes) {
    dropped.push(kept.shift()![0]);
    message = assemble(record.body);
  }
  if (sizeOf(message.body, message.attributes) <= limits.maxBytes) return message;
  const originalBytes = utf8(record.body);
  const withMarker = assemble("", originalBytes);
  return assemble(utf8Prefix(record.body, limits.maxBytes - sizeOf("", withMarker.attributes)), originalBytes);
}
