import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { z } from "zod";
import { DEAD_LETTER_ATTRIBUTES } from "../../lib/adapters/aws/deadLetterMessage.ts";
import { SqsDeadLetterQueue } from "../../lib/adapters/aws/SqsDeadLetterQueue.ts";
import type { Envelope } from "../../contracts/envelope.ts";
import { processQueueBatch, type ConsumedMessage } from "../../lib/queue/processQueueBatch.ts";
import { QueueProducer } from "../../lib/adapters/aws/QueueProducer.ts";
import { s3PayloadResolver } from "../../lib/adapters/aws/s3PayloadResolver.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";

let cloud: LocalSqsS3;
let queueUrl: string;
let dlqUrl: string;
const bucket = "claim-checks";
const schemas = { "test.note/v1": z.strictObject({ text: z.string().min(1) }) };

before(async () => {
  cloud = await startLocalSqsS3();
  const created = await createQueues(cloud, queueWithDlq("notes", { visibilityTimeout: 30, maxReceiveCount: 3 }));
  queueUrl = created.queues.get("notes")!.url;
  dlqUrl = created.queues.get("notesDlq")!.url;
  await cloud.s3.send(new CreateBucketCommand({ Bucket: bucket }));
});
after(() => cloud.close());

const envelope = (id: string, text: string): Envelope => ({
  schema: "test.note/v1", id, source: "test", producedAt: "2026-11-22T10:00:00Z", correlationId: `corr-${id}`, payload: { text },
});

async function receive(url: string, count: number): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < 20 && out.length < count; i++) {
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }));
    out.push(...(r.Messages ?? []));
  }
  return out;
}

function toEvent(messages: Message[]): SQSEvent {
  return {
    Records: messages.map(
      (m): SQSRecord => ({
        messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, md5OfBody: m.MD5OfBody!,
        attributes: m.Attributes as unknown as SQSRecord["attributes"],
        messageAttributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, { dataType: v.DataType!, stringValue: v.StringValue, stringListValues: [], binaryListValues: [] }])),
        eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:notes", awsRegion: "us-east-1",
      }),
    ),
  };
}

const deadLetter = () => new SqsDeadLetterQueue(cloud.sqs, async () => dlqUrl);

describe("processQueueBatch", () => {
  it("dead-letters poison messages with their reason, hands the rest to the domain, and fails only what the domain failed", async () => {
    const producer = new QueueProducer(cloud.sqs);
    await producer.send(queueUrl, [envelope("a", "alpha"), envelope("b", "bravo"), envelope("c", "charlie"), { ...envelope("d", ""), payload: { text: "" } }]);
    const { SendMessageCommand } = await import("@aws-sdk/client-sqs");
    await cloud.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: "{oops" }));
    await cloud.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ ...envelope("e", "x"), schema: "test.unknown/v1" }) }));
    const messages = await receive(queueUrl, 6);
    assert.equal(messages.length, 6);

    let handed: ConsumedMessage<{ text: string }>[] = [];
    const response = await processQueueBatch(toEvent(messages), {
      payloadSchemas: schemas,
      deadLetter: deadLetter(),
      handle: async (valid) => {
        handed = valid;
        return { failedMessageIds: valid.filter((m) => m.envelope.id === "b").map((m) => m.messageId) };
      },
    });

    assert.deepEqual(handed.map((m) => m.envelope.payload.text).sort(), ["alpha", "bravo", "charlie"]);
    const bId = messages.find((m) => m.Body!.includes('"id":"b"'))!.MessageId;
    assert.deepEqual(response.batchItemFailures, [{ itemIdentifier: bId }]);

    const dead = await receive(dlqUrl, 3);
    const reasons = dead.map((m) => m.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? "").sort();
    assert.equal(dead.length, 3);
    assert.ok(reasons.some((r) => r.startsWith("body: not JSON")), reasons.join(" | "));
    assert.ok(reasons.some((r) => r.startsWith("payload.text:")), reasons.join(" | "));
    assert.ok(reasons.some((r) => r.startsWith("schema: unsupported")), reasons.join(" | "));
    for (const m of dead) assert.equal(m.Body, messages.find((x) => x.MessageId === m.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.originalMessageId]?.StringValue)?.Body, "the original body is kept");
  });

  it("dead-letters what the domain says can never succeed, with its reason", async () => {
    const event = toEvent([
      { MessageId: "p-1", ReceiptHandle: "r", Body: JSON.stringify(envelope("p1", "one")), MD5OfBody: "", Attributes: {} },
      { MessageId: "p-2", ReceiptHandle: "r", Body: JSON.stringify(envelope("p2", "two")), MD5OfBody: "", Attributes: {} },
    ]);
    const response = await processQueueBatch(event, {
      payloadSchemas: schemas,
      deadLetter: deadLetter(),
      handle: async () => ({ deadLetters: [["p-2", "store refused: mapper_parsing_exception (400)"] as const] }),
    });
    assert.deepEqual(response.batchItemFailures, [], "a dead-lettered record is settled, not retried");
    const [dead] = await receive(dlqUrl, 1);
    assert.equal(dead!.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue, "store refused: mapper_parsing_exception (400)");
    assert.equal(dead!.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.originalMessageId]?.StringValue, "p-2");
  });

  it("keeps a poison message on its queue when the DLQ cannot be reached", async () => {
    const broken = new SqsDeadLetterQueue(cloud.sqs, async () => `${dlqUrl}-missing`);
    const event = toEvent([{ MessageId: "m-1", ReceiptHandle: "r", Body: "[]", MD5OfBody: "", Attributes: {} }]);
    const response = await processQueueBatch(event, { payloadSchemas: schemas, deadLetter: broken, handle: async () => undefined });
    assert.deepEqual(response.batchItemFailures, [{ itemIdentifier: "m-1" }]);
  });

  it("fails every valid record when the domain throws", async () => {
    const event = toEvent([
      { MessageId: "v-1", ReceiptHandle: "r", Body: JSON.stringify(envelope("v1", "one")), MD5OfBody: "", Attributes: {} },
      { MessageId: "v-2", ReceiptHandle: "r", Body: JSON.stringify(envelope("v2", "two")), MD5OfBody: "", Attributes: {} },
    ]);
    const response = await processQueueBatch(event, {
      payloadSchemas: schemas,
      deadLetter: deadLetter(),
      handle: async () => {
        throw new Error("store down");
      },
    });
    assert.deepEqual(response.batchItemFailures.map((f) => f.itemIdentifier).sort(), ["v-1", "v-2"]);
  });

  it("sends oversized payloads through S3 (claim check) and resolves them at the consumer", async () => {
    const producer = new QueueProducer(cloud.sqs, { claimCheck: { s3: cloud.s3, bucket } });
    const big = "x".repeat(300_000);
    await producer.send(queueUrl, [envelope("big", big), envelope("small", "tiny")]);
    const messages = await receive(queueUrl, 2);
    assert.equal(messages.length, 2);
    for (const m of messages) assert.ok(Buffer.byteLength(m.Body!) < 262_144, "every message is under the SQS limit");
    assert.ok(messages.some((m) => m.Body!.includes('"payloadRef"')));
    let texts: string[] = [];
    const response = await processQueueBatch(toEvent(messages), {
      payloadSchemas: schemas,
      deadLetter: deadLetter(),
      resolvePayload: s3PayloadResolver(cloud.s3),
      handle: async (valid) => {
        texts = valid.map((v) => v.envelope.payload.text);
      },
    });
    assert.deepEqual(response.batchItemFailures, []);
    assert.deepEqual(texts.map((t) => t.length).sort((a, b) => a - b), [4, 300_000]);
  });

  it("refuses an oversized payload when no claim-check bucket is configured, naming the envelope", async () => {
    const producer = new QueueProducer(cloud.sqs);
    await assert.rejects(producer.send(queueUrl, [envelope("huge", "y".repeat(300_000))]), (error: Error & { failedIds?: string[] }) => {
      assert.deepEqual(error.failedIds, ["huge"]);
      return true;
    });
  });

  it("FIFO: a group per envelope, a resend deduplicated, a group held back after its failure, a poison record dead-lettered in its group", async () => {
    // As serverless.yml declares price-tasks: no content-based deduplication, so every send must carry its own id.
    const specs = queueWithDlq("fifo-notes", { visibilityTimeout: 30, maxReceiveCount: 3, fifo: true }).map((q) => ({ ...q, attributes: { ...q.attributes, ContentBasedDeduplication: "false" } }));
    const created = await createQueues(cloud, specs);
    const fifoUrl = created.queues.get("fifo-notes")!.url;
    const fifoDlqUrl = created.queues.get("fifo-notesDlq")!.url;
    const fifoSchemas = { "test.a/v1": schemas["test.note/v1"], "test.b/v1": schemas["test.note/v1"] };
    const note = (schema: string, id: string, text: string): Envelope => ({ ...envelope(id, text), schema });
    const producer = new QueueProducer(cloud.sqs);
    const sent = [note("test.a/v1", "a1", "one"), note("test.a/v1", "a2", "two"), note("test.b/v1", "b1", "three"), note("test.a/v1", "a3", "")];
    await producer.send(fifoUrl, sent);
    await producer.send(fifoUrl, sent.slice(0, 1)); // a retry of the first: SQS drops it within five minutes

    const messages = await receive(fifoUrl, 4);
    assert.deepEqual(messages.map((m) => `${m.Attributes?.MessageGroupId}:${JSON.parse(m.Body!).id}`), ["test.a/v1:a1", "test.a/v1:a2", "test.a/v1:a3", "test.b/v1:b1"]);
    const response = await processQueueBatch(toEvent(messages), {
      payloadSchemas: fifoSchemas,
      deadLetter: new SqsDeadLetterQueue(cloud.sqs, async () => fifoDlqUrl),
      handle: async (valid) => ({ failedMessageIds: valid.filter((v) => v.envelope.id === "a1").map((v) => v.messageId) }),
    });
    const idOf = new Map(messages.map((m) => [m.MessageId!, JSON.parse(m.Body!).id as string]));
    // a1 failed: a2, though stored, is retried after it; b1 is another group. a3 (empty text) is poison.
    assert.deepEqual(response.batchItemFailures.map((f) => idOf.get(f.itemIdentifier)).sort(), ["a1", "a2"]);
    const dead = await receive(fifoDlqUrl, 1);
    assert.equal(dead.length, 1);
    assert.equal(dead[0]!.Attributes?.MessageGroupId, "test.a/v1", "dead-lettered in its own group");
    assert.match(dead[0]!.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? "", /text/);
  });
});
