// The consumers' envelope parser, through the real local emulator: a message
// body (and attributes) of any shape goes on a queue with AWS's 256 KiB limit,
// is read back and handed to processQueueBatch with the real DLQ. A valid
// envelope reaches the domain; anything else is poison with a field named, and
// lands on the DLQ with its reason, within SQS's limits. Nothing is left on the
// source queue and nothing is retried.
import { ReceiveMessageCommand, SendMessageCommand, type MessageAttributeValue } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import fc from "fast-check";
import { PRICE_PAYLOAD_SCHEMAS } from "../../../lib/market/consume/consumeMarketMessages.ts";
import { newsArticleSchema, NEWS_ARTICLE_SCHEMA } from "../../../contracts/news.ts";
import { DEAD_LETTER_ATTRIBUTES, SQS_MESSAGE_LIMITS } from "../../../lib/adapters/aws/deadLetterMessage.ts";
import { SqsDeadLetterQueue } from "../../../lib/adapters/aws/SqsDeadLetterQueue.ts";
import { parseWireEnvelope, validatePayload } from "../../../lib/queue/envelope.ts";
import { PoisonMessageError } from "../../../lib/queue/errors.ts";
import { processQueueBatch } from "../../../lib/queue/processQueueBatch.ts";
import { s3PayloadResolver } from "../../../lib/adapters/aws/s3PayloadResolver.ts";
import { firstInvalidSqsCodePoint } from "../../../lib/queue/sqsText.ts";
import { createQueues, startLocalSqsS3 } from "../../helpers/localSqsS3.ts";
import { deeplyNested, hostileJson, hostileText, instantLike, malformedJson, plausibleText, urlLike } from "../arbitraries.ts";
import type { Boundary } from "../harness.ts";

const SCHEMAS = { [NEWS_ARTICLE_SCHEMA]: newsArticleSchema, ...PRICE_PAYLOAD_SCHEMAS } as Record<string, import("zod").ZodType<unknown>>;
const LIMIT = SQS_MESSAGE_LIMITS.maxBytes;

interface EnvelopeInput {
  body: string;
  attributes: Record<string, MessageAttributeValue>;
}

const bytesOf = (body: string, attributes: Record<string, MessageAttributeValue>) =>
  Buffer.byteLength(body) + Object.entries(attributes).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v.DataType!) + Buffer.byteLength(v.StringValue ?? ""), 0);

/** What SQS would refuse is written as a JSON escape instead, so the body is valid SQS text (as it is on a real queue). */
function asQueueText(text: string, astral: boolean): string {
  return text.replace(astral ? /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu : /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function arbitrary(astral: boolean): fc.Arbitrary<EnvelopeInput> {
  // A valid envelope of each kind the consumers read, then (or not) one field replaced or added.
  const article = fc.record({ title: plausibleText({ astral: false }).filter((t) => t.trim() !== ""), url: fc.webSegment().map((s) => `https://u.today/${s || "a"}`), source: fc.constant("u.today"), content: plausibleText({ astral, maxLength: 200 }) }, { requiredKeys: ["title", "url", "source"] });
  const trade = fc.record({ exchange: fc.constant("binance"), symbol: fc.constant("BTCUSDT"), base: fc.constant("BTC"), quote: fc.constant("USDT"), price: fc.double({ min: 1, max: 1e5, noNaN: true }), size: fc.double({ min: 0, max: 10, noNaN: true }), side: fc.constantFrom("buy", "sell"), tradeId: fc.uuid(), ts: fc.integer({ min: 1.7e12, max: 1.9e12 }), receivedAt: fc.integer({ min: 1.7e12, max: 1.9e12 }) });
  const valid = fc.oneof(
    fc.record({ schema: fc.constant(NEWS_ARTICLE_SCHEMA), payload: article }),
    fc.record({ schema: fc.constant("market.batch/v1"), payload: fc.record({ exchange: fc.constant("binance"), trades: fc.array(trade, { minLength: 1, maxLength: 3 }), quotes: fc.constant([]) }) }),
  ).chain((p) =>
    fc.record({
      schema: fc.constant(p.schema), payload: fc.constant(p.payload as unknown), id: fc.stringMatching(/^[0-9a-f]{32}$/), source: fc.constantFrom("u.today", "binance"),
      producedAt: fc.integer({ min: 1.6e12, max: 1.9e12 }).map((ms) => new Date(ms).toISOString()), correlationId: fc.stringMatching(/^[\x21-\x7E]{1,128}$/),
    }),
  );
  const hostile = fc.oneof(hostileText({ astral, maxLength: 300 }), instantLike, urlLike, hostileJson({ astral, maxDepth: 3 }));
  const change = fc.option(
    fc.oneof(
      fc.record({ inPayload: fc.boolean(), key: fc.constantFrom("schema", "id", "source", "producedAt", "correlationId", "payload", "title", "url", "trades", "exchange", "extra"), value: hostile }),
      fc.record({ inPayload: fc.constant(false), key: fc.constant("payloadRef"), value: fc.record({ bucket: fc.oneof(fc.constantFrom("no-such-bucket", "fuzz-claims"), hostileText({ astral })), key: fc.oneof(fc.constantFrom("payloads/missing.json", "secrets.json"), hostileText({ astral })), bytes: fc.nat() }) }),
    ),
    { freq: 2 },
  );
  const envelope = fc.tuple(valid, change).map(([e, c]) => {
    const copy = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
    if (c) {
      const target = c.inPayload && typeof copy.payload === "object" && copy.payload !== null ? (copy.payload as Record<string, unknown>) : copy;
      target[c.key] = c.value;
      // A claim check replaces the payload (both at once is refused before the reference is read).
      if (target === copy && c.key === "payloadRef") delete copy.payload;
    }
    return JSON.stringify(copy);
  });
  const body = fc.oneof(
    { weight: 8, arbitrary: envelope },
    { weight: 1, arbitrary: hostileJson({ astral }).map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: malformedJson.filter((t) => t.length > 0) },
    { weight: 1, arbitrary: deeplyNested.map((d) => `{"schema":"news.article/v1","payload":${d}}`) },
    // Near the size limit, not JSON: the DLQ copy must make room for the reason.
    { weight: 1, arbitrary: fc.integer({ min: 250_000, max: 262_000 }).map((n) => "x".repeat(n)) },
  ).map((b) => asQueueText(b, astral));
  const attributes = fc.dictionary(
    fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,40}$/).filter((n) => !/^(aws|amazon)\./i.test(n) && !n.endsWith(".") && !n.includes("..")),
    fc.record({ DataType: fc.constantFrom("String", "Number"), StringValue: fc.oneof(fc.integer().map(String), hostileText({ astral, maxLength: 50 }).map((t) => asQueueText(t, astral)).filter((t) => t.length > 0)) }).map((v) => (v.DataType === "Number" && !/^-?\d+$/.test(v.StringValue) ? { ...v, DataType: "String" } : v)),
    { maxKeys: 10 },
  );
  return fc.record({ body, attributes }).filter((i) => bytesOf(i.body, i.attributes) <= LIMIT);
}

function toRecord(m: { MessageId?: string; ReceiptHandle?: string; Body?: string; MD5OfBody?: string; MessageAttributes?: Record<string, MessageAttributeValue> }): SQSRecord {
  return {
    messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, md5OfBody: m.MD5OfBody!,
    attributes: { ApproximateReceiveCount: "1" } as SQSRecord["attributes"],
    messageAttributes: Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, { dataType: v.DataType!, stringValue: v.StringValue, stringListValues: [], binaryListValues: [] }])),
    eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:fuzz-envelopes", awsRegion: "us-east-1",
  };
}

export const envelopeBoundary: Boundary<EnvelopeInput> = {
  name: "envelope parser (consumers, DLQ)",
  async start() {
    const cloud = await startLocalSqsS3();
    const limit = { MaximumMessageSize: String(LIMIT) };
    const created = await createQueues(cloud, [
      { logicalId: "dlq", name: "fuzz-envelopes-dlq", fifo: false, attributes: limit },
      { logicalId: "queue", name: "fuzz-envelopes", fifo: false, attributes: { ...limit, VisibilityTimeout: "30" }, redrive: { deadLetterLogicalId: "dlq", maxReceiveCount: 5 } },
    ]);
    const queueUrl = created.queues.get("queue")!.url;
    const dlqUrl = created.queues.get("dlq")!.url;
    const deadLetter = new SqsDeadLetterQueue(cloud.sqs, async () => dlqUrl);
    const resolvePayload = s3PayloadResolver(cloud.s3, { bucket: "fuzz-claims" });
    const receive = async (QueueUrl: string) =>
      (await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }))).Messages ?? [];

    return {
      arbitrary: arbitrary(true),
      async check(input) {
        // The parser alone: it returns an envelope or throws a poison error naming a field, nothing else.
        let expected: "accepted" | "refused";
        try {
          const wire = parseWireEnvelope(input.body);
          if (wire.payload !== undefined) validatePayload(wire, wire.payload, SCHEMAS);
          expected = wire.payloadRef ? "refused" : "accepted"; // no claim-check object exists in this run
        } catch (error) {
          if (!(error instanceof PoisonMessageError) || error.field === "") throw new Error(`the parser threw ${String(error)}`);
          expected = "refused";
        }
        // Then the whole consumer path through the emulator.
        await cloud.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: input.body, MessageAttributes: input.attributes }));
        const received = await receive(queueUrl);
        if (received.length !== 1) throw new Error(`sent one message, received ${received.length}`);
        const event: SQSEvent = { Records: received.map(toRecord) };
        let handed = 0;
        const response = await processQueueBatch(event, { payloadSchemas: SCHEMAS, deadLetter, resolvePayload, handle: async (valid) => void (handed += valid.length) });
        if (response.batchItemFailures.length > 0) throw new Error("a record was left to retry: its DLQ copy or its decoding failed");
        const dead = await receive(dlqUrl);
        const verdict = handed === 1 ? "accepted" : "refused";
        if (verdict !== expected) throw new Error(`the parser said ${expected}, the consumer path ${verdict}`);
        if (verdict === "accepted") {
          if (dead.length > 0) throw new Error("an accepted message also reached the DLQ");
          return verdict;
        }
        if (dead.length !== 1) throw new Error(`refused, and ${dead.length} message(s) on the DLQ`);
        const copy = dead[0]!;
        const reason = copy.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? "";
        const names = Object.keys(copy.MessageAttributes ?? {});
        if (!/^[\w$.[\]"-]+: ./.test(reason)) throw new Error(`the DLQ reason names no field: ${JSON.stringify(reason)}`);
        if (names.length > 10) throw new Error(`the DLQ copy carries ${names.length} attributes`);
        if (bytesOf(copy.Body!, copy.MessageAttributes ?? {}) > LIMIT) throw new Error("the DLQ copy is over 256 KiB");
        if (firstInvalidSqsCodePoint(reason) !== undefined) throw new Error("the reason is not valid SQS text");
        return verdict;
      },
      stop: () => cloud.close(),
    };
  },
};
