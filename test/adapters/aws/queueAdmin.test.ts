import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { DEAD_LETTER_ATTRIBUTES } from "../../../lib/adapters/aws/deadLetterMessage.ts";
import { SqsDeadLetterQueue } from "../../../lib/adapters/aws/SqsDeadLetterQueue.ts";
import { QueueAdmin, QueueAdminError } from "../../../lib/adapters/aws/QueueAdmin.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../../helpers/localSqsS3.ts";

const run = promisify(execFile);
let cloud: LocalSqsS3;
let admin: QueueAdmin;
let sourceUrl: string;
let dlqUrl: string;

before(async () => {
  cloud = await startLocalSqsS3();
  // Named as serverless.yml names them for stage "admintest".
  const created = await createQueues(cloud, queueWithDlq("cryptoviz-admintest-jobs", { visibilityTimeout: 30, maxReceiveCount: 4 }));
  sourceUrl = created.queues.get("cryptoviz-admintest-jobs")!.url;
  dlqUrl = created.queues.get("cryptoviz-admintest-jobsDlq")!.url;
  admin = new QueueAdmin(cloud.sqs, "cryptoviz-admintest-");
});
after(() => cloud.close());

async function send(url: string, bodies: string[]) {
  await cloud.sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: b })) }));
}

const record = (body: string, id: string): SQSRecord => ({
  messageId: id, receiptHandle: "r", body, md5OfBody: "", attributes: {} as SQSRecord["attributes"], messageAttributes: {},
  eventSource: "aws:sqs", eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:cryptoviz-admintest-jobs", awsRegion: "us-east-1",
});

describe("queue admin", () => {
  it("lists depth, in-flight and the dead-letter queue of each queue", async () => {
    await send(sourceUrl, ["a", "b", "c"]);
    const queues = await admin.list();
    const source = queues.find((q) => q.name === "cryptoviz-admintest-jobs")!;
    assert.equal(source.depth, 3);
    assert.equal(source.inFlight, 0);
    assert.deepEqual(source.deadLetter, { name: "cryptoviz-admintest-jobs-dlq", depth: 0, maxReceiveCount: 4 });
    const dlq = queues.find((q) => q.name === "cryptoviz-admintest-jobs-dlq")!;
    assert.deepEqual(dlq.deadLetterFor, ["cryptoviz-admintest-jobs"]);
  });

  it("peeks without consuming, shows dead-letter reasons, purges, and redrives a DLQ back to its source", async () => {
    const peeked = await admin.peek("jobs", 10);
    assert.deepEqual(peeked.map((m) => m.body).sort(), ["a", "b", "c"]);
    assert.equal((await admin.status("jobs")).depth, 3, "peek leaves the messages on the queue");

    assert.equal(await admin.purge("jobs"), 3);
    assert.equal((await admin.status("jobs")).depth, 0);

    const dead = new SqsDeadLetterQueue(cloud.sqs, async () => dlqUrl);
    await dead.send(record('{"id":1}', "m1"), "payload.url: Invalid URL");
    await dead.send(record('{"id":2}', "m2"), "schema: unsupported");
    const inDlq = await admin.peek("jobs-dlq");
    assert.deepEqual(inDlq.map((m) => m.failureReason).sort(), ["payload.url: Invalid URL", "schema: unsupported"]);

    assert.equal(await admin.redrive("jobs-dlq"), 2);
    assert.equal((await admin.status("jobs-dlq")).depth, 0);
    const back = await admin.peek("jobs");
    assert.deepEqual(back.map((m) => m.body).sort(), ['{"id":1}', '{"id":2}']);
    for (const m of back) assert.equal(m.attributes[DEAD_LETTER_ATTRIBUTES.reason], undefined, "failure attributes are dropped on redrive");
  });

  it("FIFO: finds a queue without its .fifo suffix, and redrives each message back into its own group", async () => {
    // A stage of its own, so the other tests' listings stay as they are.
    const admin = new QueueAdmin(cloud.sqs, "cryptoviz-fifotest-");
    const specs = queueWithDlq("cryptoviz-fifotest-prices", { visibilityTimeout: 30, maxReceiveCount: 4, fifo: true }).map((q) => ({ ...q, attributes: { ...q.attributes, ContentBasedDeduplication: "false" } }));
    const created = await createQueues(cloud, specs);
    const fifoDlqUrl = created.queues.get("cryptoviz-fifotest-pricesDlq")!.url;
    const dlq = new SqsDeadLetterQueue(cloud.sqs, async () => fifoDlqUrl);
    const fifoRecord = (body: string, id: string, group: string): SQSRecord => ({ ...record(body, id), attributes: { MessageGroupId: group } as unknown as SQSRecord["attributes"] });
    await dlq.send(fifoRecord('{"n":1}', "m1", "BTCUSDT"), "test");
    await dlq.send(fifoRecord('{"n":2}', "m2", "ETHUSDT"), "test");
    assert.equal((await admin.status("prices-dlq")).name, "cryptoviz-fifotest-prices-dlq.fifo");
    assert.equal(await admin.redrive("prices-dlq"), 2);
    const back = await admin.peek("prices", 10);
    assert.deepEqual(back.map((m) => m.body).sort(), ['{"n":1}', '{"n":2}']);
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: created.queues.get("cryptoviz-fifotest-prices")!.url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["MessageGroupId"] }));
    assert.deepEqual((r.Messages ?? []).map((m) => `${m.Attributes?.MessageGroupId}:${m.Body}`).sort(), ['BTCUSDT:{"n":1}', 'ETHUSDT:{"n":2}']);
  });

  it("names what is wrong for an unknown queue or a queue that is no DLQ", async () => {
    await assert.rejects(admin.status("nope"), (e: Error) => e instanceof QueueAdminError && /no queue named "nope"/.test(e.message));
    await assert.rejects(admin.redrive("jobs"), (e: Error) => e instanceof QueueAdminError && /not the dead-letter queue/.test(e.message));
  });

  it("works from the command line", async () => {
    await send(sourceUrl, ["cli-1"]);
    const depth = (await admin.status("jobs")).depth;
    const env = { ...process.env, CRYPTOVIZ_LOG_LEVEL: "SILENT" };
    const args = ["--import", "tsx", "scripts/queues.ts"];
    const common = ["--stage", "admintest", "--endpoint", cloud.endpoint.url];
    const list = await run(process.execPath, [...args, "list", ...common], { env });
    assert.match(list.stdout, new RegExp(`cryptoviz-admintest-jobs\\s+${depth}\\s+0\\s+cryptoviz-admintest-jobs-dlq \\(0 messages, after 4 receives\\)`));
    const json = JSON.parse((await run(process.execPath, [...args, "list", "--json", ...common], { env })).stdout);
    assert.equal(json.length, 2);
    await assert.rejects(run(process.execPath, [...args, "purge", "jobs", ...common], { env }), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.match(e.stderr, /add --yes/);
      return true;
    });
    await assert.rejects(run(process.execPath, [...args, "frobnicate", ...common], { env }), (e: { stderr: string }) => /unknown command "frobnicate"/.test(e.stderr));
    await assert.rejects(run(process.execPath, [...args, "list", "--stage", "admintest", "--endpoint", "http://127.0.0.1:1"], { env }), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 1);
      assert.match(e.stderr, /cannot reach SQS/);
      return true;
    });
  });
});
