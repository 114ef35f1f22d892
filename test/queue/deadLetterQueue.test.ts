// A DLQ reason always arrives: the dead-lettered message fits SQS's size and
// attribute limits whatever the original carried, the reason is valid SQS
// text, and a claim-checked payload that does not exist is poison at once.
// Against the real local emulator with AWS's 256 KiB MaximumMessageSize.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand, SendMessageCommand, type Message, type MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { z } from "zod";
import { DEAD_LETTER_ATTRIBUTES, deadLetterMessage, SQS_MESSAGE_LIMITS } from "../../lib/adapters/aws/deadLetterMessage.ts";
import { SqsDeadLetterQueue } from "../../lib/adapters/aws/SqsDeadLetterQueue.ts";
import { processQueueBatch } from "../../lib/queue/processQueueBatch.ts";
import { s3PayloadResolver } from "../../lib/adapters/aws/s3PayloadResolver.ts";
import { firstInvalidSqsCodePoint } from "../../lib/queue/sqsText.ts";
import { createQueues, startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";

const LIMIT = String(SQS_MESSAGE_LIMITS.maxBytes);
const BUCKET = "dlq-claim-checks";
const schemas = { "test.note/v1": z.strictObject({ text: z.string().min(1) }) };

let cloud: LocalSqsS3;
let sourceUrl: string;
let dlqUrl: string;

before(async () => {
  cloud = await startLocalSqsS3();
  const created = await createQueues(cloud, [
    { logicalId: "notesDlq", name: "limits-dlq", fifo: false, attributes: { MaximumMessageSize: LIMIT } },
    { logicalId: "notes", name: "limits", fifo: false, attributes: { MaximumMessageSize: LIMIT, VisibilityTimeout: "30" }, redrive: { deadLetterLogicalId: "notesDlq", maxReceiveCount: 5 } },
  ]);
  sourceUrl = created.queues.get("notes")!.url;
  dlqUrl = created.queues.get("notesDlq")!.url;
  await cloud.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
after(() => cloud.close());

async function receive(url: string): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
    if (!r.Messages?.length) return out;
    out.push(...r.Messages);
  }
}

function toRecord(m: Message): SQSRecord {
  return {
    messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, md5OfBody: m.MD5OfBody!,
    attributes: { ApproximateReceiveCount: "1" } as SQSRecord["attributes"],
    messageAttributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, { dataType: v.DataType!, stringValue: v.StringValue, stringListValues: [], binaryListValues: [] }])),
    eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:limits", awsRegion: "us-east-1",
  };
}

/** Sends `body` with `attributes` to the source queue, consumes it once, and returns what the DLQ got. */
async function deadLetterThrough(body: string, attributes: Record<string, MessageAttributeValue> = {}, resolvePayload = s3PayloadResolver(cloud.s3, { bucket: BUCKET })) {
  await cloud.sqs.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: body, MessageAttributes: attributes }));
  const received = await receive(sourceUrl);
  assert.equal(received.length, 1);
  const event: SQSEvent = { Records: received.map(toRecord) };
  const response = await processQueueBatch(event, {
    payloadSchemas: schemas, deadLetter: new SqsDeadLetterQueue(cloud.sqs, async () => dlqUrl), resolvePayload, handle: async () => undefined,
  });
  assert.deepEqual(response.batchItemFailures, [], "dead-lettered at once, not left to retry");
  const dead = await receive(dlqUrl);
  assert.equal(dead.length, 1);
  const message = dead[0]!;
  const reason = message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue;
  assert.ok(reason, "the reason arrived");
  return { message, reason, original: received[0]! };
}

const bytesOf = (m: Message) =>
  Buffer.byteLength(m.Body!) +
  Object.entries(m.MessageAttributes ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.DataType!) + Buffer.byteLength(v.StringValue ?? ""), 0);

const envelope = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ schema: "test.note/v1", id: "n1", source: "test", producedAt: "2026-11-22T10:00:00Z", correlationId: "c-1", ...extra });

describe("dead-lettering within SQS's limits", () => {
  it("a 262,000-byte non-JSON message reaches the DLQ with its reason, the body cut to make room and its size recorded", async () => {
    const body = "x".repeat(262_000);
    const { message, reason } = await deadLetterThrough(body, { correlationId: { DataType: "String", StringValue: "big-one" } });
    assert.match(reason, /^body: not JSON/);
    assert.ok(bytesOf(message) <= SQS_MESSAGE_LIMITS.maxBytes, `${bytesOf(message)} bytes`);
    assert.equal(message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.bodyTruncatedFrom]?.StringValue, "262000");
    assert.ok(body.startsWith(message.Body!) && message.Body!.length > 261_000, "the body is kept as far as it fits");
    assert.equal(message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.droppedAttributes]?.StringValue, "correlationId", "an original attribute goes before any of the body");
  });

  it("keeps ours and at most 10 attributes in all when the original carried 10", async () => {
    const attributes: Record<string, MessageAttributeValue> = { correlationId: { DataType: "String", StringValue: "c-10" }, schema: { DataType: "String", StringValue: "test.note/v1" } };
    for (let i = 0; i < 8; i++) attributes[`extra-${i}`] = { DataType: "String", StringValue: `v${i}` };
    const { message } = await deadLetterThrough("[]", attributes);
    const names = Object.keys(message.MessageAttributes ?? {});
    assert.equal(names.length, 10, names.join(", "));
    for (const name of [DEAD_LETTER_ATTRIBUTES.reason, DEAD_LETTER_ATTRIBUTES.sourceQueue, DEAD_LETTER_ATTRIBUTES.originalMessageId, DEAD_LETTER_ATTRIBUTES.failedAt, "correlationId", "schema"]) {
      assert.ok(names.includes(name), `${name} kept`);
    }
    const dropped = message.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.droppedAttributes]?.StringValue?.split(",") ?? [];
    assert.deepEqual(dropped, ["extra-3", "extra-4", "extra-5", "extra-6", "extra-7"], "those left out are named");
  });

  it("writes a reason quoting characters SQS refuses as valid SQS text", async () => {
    // The body is valid SQS text (the escapes are ASCII); the decoded bucket name it quotes is not.
    const body = envelope({ payloadRef: { bucket: "bad~~bucket", key: "payloads/x.json", bytes: 1 } }).replace("~~", "\\uFFFF\\uD800");
    const { reason } = await deadLetterThrough(body);
    assert.equal(firstInvalidSqsCodePoint(reason), undefined, reason);
    assert.match(reason, /^payloadRef: s3:\/\/bad\uFFFD\uFFFDbucket\/payloads\/x\.json is outside the claim-check store/);
  });

  it("dead-letters a payloadRef to a missing bucket or object at once, with the reason", async () => {
    const missingBucket = await deadLetterThrough(envelope({ payloadRef: { bucket: "no-such-bucket", key: "payloads/x.json", bytes: 10 } }), {}, s3PayloadResolver(cloud.s3));
    assert.match(missingBucket.reason, /^payloadRef: s3:\/\/no-such-bucket\/payloads\/x\.json does not exist \(NoSuchBucket\)/);
    const missingKey = await deadLetterThrough(envelope({ payloadRef: { bucket: BUCKET, key: "payloads/gone.json", bytes: 10 } }));
    assert.match(missingKey.reason, /^payloadRef: s3:\/\/dlq-claim-checks\/payloads\/gone\.json does not exist \(NoSuchKey\)/);
    const elsewhere = await deadLetterThrough(envelope({ payloadRef: { bucket: "someone-elses", key: "secrets.json", bytes: 10 } }));
    assert.match(elsewhere.reason, /is outside the claim-check store s3:\/\/dlq-claim-checks\/payloads\//);
  });

  it("resolves a claim-checked payload that exists, and dead-letters one nested past the limit", async () => {
    await cloud.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "payloads/deep.json", Body: "[".repeat(5000) + "]".repeat(5000) }));
    const { reason } = await deadLetterThrough(envelope({ payloadRef: { bucket: BUCKET, key: "payloads/deep.json", bytes: 10000 } }));
    assert.match(reason, /nests deeper than the limit of 32 levels/);
  });

  it("dead-letters an envelope nested 50,000 deep with the limit as its reason", async () => {
    const { reason } = await deadLetterThrough('{"payload":' + "[".repeat(50_000) + "]".repeat(50_000) + "}");
    assert.match(reason, /^body: nests deeper than the limit of 32 levels/);
  });
});

describe("deadLetterMessage", () => {
  const record = (body: string, attributes: SQSRecord["messageAttributes"] = {}): SQSRecord => ({
    messageId: "m", receiptHandle: "r", body, md5OfBody: "", attributes: {} as SQSRecord["attributes"], messageAttributes: attributes,
    eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:q", awsRegion: "us-east-1",
  });
  const at = new Date("2026-11-22T10:00:00Z");

  it("cuts a body of emoji on a character boundary, never leaving half a surrogate pair", () => {
    const body = "🚀".repeat(65_536); // 262,144 bytes of UTF-8
    const { body: cut, attributes } = deadLetterMessage(record(body), "body: not JSON", at);
    assert.equal(firstInvalidSqsCodePoint(cut), undefined);
    assert.ok(cut.length % 2 === 0 && body.startsWith(cut));
    const size = Buffer.byteLength(cut) + Object.entries(attributes).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.DataType!) + Buffer.byteLength(v.StringValue ?? ""), 0);
    assert.ok(size <= SQS_MESSAGE_LIMITS.maxBytes && size > SQS_MESSAGE_LIMITS.maxBytes - 4, `${size}`);
  });

  it("bounds the reason at 1,024 characters without splitting an emoji, and leaves a small message as it was", () => {
    const { body, attributes } = deadLetterMessage(record("{}", { schema: { dataType: "String", stringValue: "s", stringListValues: [], binaryListValues: [] } }), "a".repeat(1023) + "🚀🚀", at);
    assert.equal(body, "{}");
    assert.equal(attributes[DEAD_LETTER_ATTRIBUTES.reason]!.StringValue, "a".repeat(1023) + "🚀");
    assert.equal(attributes.schema!.StringValue, "s");
    assert.equal(attributes[DEAD_LETTER_ATTRIBUTES.bodyTruncatedFrom], undefined);
    assert.equal(attributes[DEAD_LETTER_ATTRIBUTES.droppedAttributes], undefined);
  });
});
