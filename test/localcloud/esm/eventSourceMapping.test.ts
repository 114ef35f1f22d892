import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { EventSourceMapping } from "../../../localcloud/esm/EventSourceMapping.ts";
import type { EventSourceMappingSettings, InvokeResult } from "../../../localcloud/esm/types.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../../helpers/localSqsS3.ts";
import { sleep, waitFor } from "../../helpers/waitFor.ts";

let cloud: LocalSqsS3;
before(async () => {
  cloud = await startLocalSqsS3();
});
after(async () => {
  await cloud.close();
});

async function sendBodies(sqs: SQSClient, queueUrl: string, bodies: string[], groupOf?: (body: string) => string) {
  for (let i = 0; i < bodies.length; i += 10) {
    const chunk = bodies.slice(i, i + 10);
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: chunk.map((body, n) => ({ Id: String(n), MessageBody: body, ...(groupOf ? { MessageGroupId: groupOf(body) } : {}) })),
      }),
    );
    assert.equal(result.Failed?.length ?? 0, 0, "every test message is enqueued");
  }
}

async function drain(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (!r.Messages?.length) return bodies;
    bodies.push(...r.Messages.map((m) => m.Body!));
  }
}

async function mapping(
  name: string,
  opts: { visibilityTimeout: number; maxReceiveCount: number; fifo?: boolean },
  settings: Partial<EventSourceMappingSettings>,
  handler: (event: SQSEvent) => Promise<InvokeResult>,
) {
  const created = await createQueues(cloud, queueWithDlq(name, opts));
  const queue = created.queues.get(name)!;
  const dlq = created.queues.get(`${name}Dlq`)!;
  const esm = new EventSourceMapping(
    cloud.sqs,
    {
      functionName: `fn-${name}`,
      queueUrl: queue.url,
      queueArn: queue.arn,
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      maximumConcurrency: 2,
      reportBatchItemFailures: true,
      region: "us-east-1",
      ...settings,
    },
    (_fn, event) => handler(event),
  );
  return { esm, queue, dlq };
}

/** Messages received and not yet deleted (ApproximateNumberOfMessagesNotVisible). */
async function inFlight(queueUrl: string): Promise<number> {
  const r = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessagesNotVisible"] }));
  return Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? -1);
}

const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

describe("local SQS event source mapping", () => {
  it("redelivers only the reported failures, moves them to the DLQ after maxReceiveCount, and processes the rest once", async () => {
    const deliveries = new Map<string, number>();
    const { esm, queue, dlq } = await mapping("partial", { visibilityTimeout: 1, maxReceiveCount: 3 }, {}, async (event) => {
      for (const r of event.Records) count(deliveries, r.body);
      const failed = event.Records.filter((r) => r.body.startsWith("bad")).map((r) => ({ itemIdentifier: r.messageId }));
      return { ok: true, payload: { batchItemFailures: failed } };
    });
    const good = Array.from({ length: 30 }, (_, i) => `good-${i}`);
    const bad = Array.from({ length: 5 }, (_, i) => `bad-${i}`);
    await sendBodies(cloud.sqs, queue.url, [...good, ...bad].sort(() => Math.random() - 0.5));
    esm.start();
    try {
      await waitFor("every bad message delivered maxReceiveCount times", () => bad.every((b) => deliveries.get(b) === 3));
      // Past one more visibility timeout the queue's redrive policy has moved them.
      await sleep(1500);
    } finally {
      await esm.stop();
    }
    for (const g of good) assert.equal(deliveries.get(g), 1, `${g} processed exactly once`);
    for (const b of bad) assert.equal(deliveries.get(b), 3, `${b} delivered maxReceiveCount times, never more`);
    assert.deepEqual((await drain(cloud.sqs, dlq.url)).sort(), [...bad].sort(), "exactly the failures are in the DLQ");
    assert.deepEqual(await drain(cloud.sqs, queue.url), [], "source queue is empty");
  });

  it("returns the whole batch when the function throws, and delivers it again after the visibility timeout", async () => {
    const deliveries = new Map<string, number>();
    let firstCall = true;
    const { esm, queue } = await mapping("thrown", { visibilityTimeout: 1, maxReceiveCount: 5 }, { batchSize: 10, maximumConcurrency: 1 }, async (event) => {
      for (const r of event.Records) count(deliveries, r.body);
      if (firstCall) {
        firstCall = false;
        return { ok: false, error: "Error: boom" };
      }
      return { ok: true, payload: null };
    });
    const bodies = Array.from({ length: 10 }, (_, i) => `m-${i}`);
    await sendBodies(cloud.sqs, queue.url, bodies);
    const firstBatchStart = Date.now();
    esm.start();
    try {
      await waitFor("all messages processed", () => esm.stats.recordsDeleted === bodies.length);
    } finally {
      await esm.stop();
    }
    assert.ok(Date.now() - firstBatchStart >= 900, "the failed batch waited out its visibility timeout");
    const total = [...deliveries.values()].reduce((a, b) => a + b, 0);
    assert.equal(total, bodies.length + esm.stats.recordsReturned, "every returned record was delivered again");
    assert.ok(esm.stats.recordsReturned > 0, "the thrown batch was returned, not deleted");
    for (const b of bodies) assert.ok((deliveries.get(b) ?? 0) >= 1);
  });

  it("treats an itemIdentifier that is not in the batch as a failure of the whole batch", async () => {
    let calls = 0;
    const { esm, queue } = await mapping("invalid", { visibilityTimeout: 1, maxReceiveCount: 5 }, { maximumConcurrency: 1 }, async () => {
      calls++;
      return { ok: true, payload: calls === 1 ? { batchItemFailures: [{ itemIdentifier: "not-a-message-id" }] } : {} };
    });
    await sendBodies(cloud.sqs, queue.url, ["a", "b", "c"]);
    esm.start();
    try {
      await waitFor("batch deleted after the retry", () => esm.stats.recordsDeleted === 3);
    } finally {
      await esm.stop();
    }
    assert.ok(calls >= 2, "the invalid response made the batch come back");
  });

  it("never runs more than maximumConcurrency invocations during a burst, and loses nothing", async () => {
    const deliveries = new Map<string, number>();
    let inFlight = 0;
    let maxInFlight = 0;
    const { esm, queue } = await mapping("burst", { visibilityTimeout: 60, maxReceiveCount: 3 }, { maximumConcurrency: 2, batchSize: 10 }, async (event) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(15);
      for (const r of event.Records) count(deliveries, r.body);
      inFlight--;
      return { ok: true, payload: { batchItemFailures: [] } };
    });
    const bodies = Array.from({ length: 400 }, (_, i) => `burst-${i}`);
    await sendBodies(cloud.sqs, queue.url, bodies);
    esm.start();
    try {
      await waitFor("all 400 processed", () => deliveries.size === bodies.length, 60_000);
    } finally {
      await esm.stop();
    }
    assert.ok(maxInFlight <= 2, `at most 2 concurrent invocations, saw ${maxInFlight}`);
    assert.equal(maxInFlight, 2, "the cap is reached: work does run in parallel");
    for (const b of bodies) assert.equal(deliveries.get(b), 1, `${b} exactly once`);
    assert.deepEqual(await drain(cloud.sqs, queue.url), []);
  });

  it("gathers records for the batching window, and never more than batchSize", async () => {
    const batches: { size: number; at: number }[] = [];
    const { esm, queue } = await mapping("window", { visibilityTimeout: 30, maxReceiveCount: 3 }, { batchSize: 8, maximumBatchingWindowSeconds: 2, maximumConcurrency: 1 }, async (event) => {
      batches.push({ size: event.Records.length, at: Date.now() });
      return { ok: true, payload: {} };
    });
    esm.start();
    try {
      await sleep(300); // the poller is waiting on an empty queue
      const firstSent = Date.now();
      for (let i = 0; i < 5; i++) {
        await sendBodies(cloud.sqs, queue.url, [`w-${i}`]);
        await sleep(150);
      }
      await waitFor("one batch", () => batches.length >= 1, 10_000);
      assert.equal(batches[0]!.size, 5, "messages sent within the window arrive in one batch");
      assert.ok(batches[0]!.at - firstSent >= 1800, `invoked only after the 2 s window (${batches[0]!.at - firstSent} ms)`);

      batches.length = 0;
      await sendBodies(cloud.sqs, queue.url, Array.from({ length: 20 }, (_, i) => `full-${i}`));
      await waitFor("20 records delivered", () => batches.reduce((a, b) => a + b.size, 0) === 20, 15_000);
      assert.ok(batches.every((b) => b.size <= 8), `no batch above batchSize: ${batches.map((b) => b.size)}`);
      assert.equal(batches[0]!.size, 8, "a full batch is invoked without waiting for the window");
    } finally {
      await esm.stop();
    }
  });

  it("gathers the next batch while the function runs, so a backlog is never kept waiting for a round of receives", async () => {
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    const delivered: string[][] = [];
    const { esm, queue } = await mapping("prefetch", { visibilityTimeout: 30, maxReceiveCount: 3 }, { batchSize: 10, maximumConcurrency: 1 }, async (event) => {
      delivered.push(event.Records.map((r) => r.body));
      if (delivered.length === 1) await running; // the first invocation waits for the test
      return { ok: true, payload: {} };
    });
    const bodies = Array.from({ length: 30 }, (_, i) => `m-${i}`);
    await sendBodies(cloud.sqs, queue.url, bodies);
    esm.start();
    try {
      await waitFor("the first invocation", () => delivered.length === 1, 10_000);
      // While it runs, the next batch is received (in flight) but not invoked: one invocation at a time.
      await waitFor("the next batch gathered", async () => (await inFlight(queue.url)) === 20, 10_000);
      assert.equal(delivered.length, 1);
      release();
      await waitFor("every record", () => delivered.flat().length === 30, 10_000);
    } finally {
      release();
      await esm.stop();
    }
    assert.deepEqual(delivered.flat().sort(), [...bodies].sort());
    assert.ok(delivered.every((b) => b.length <= 10));
  });

  it("keeps one message group in flight at a time on a FIFO queue, in order, several of a group per batch as SQS gives them", async () => {
    const seen = new Map<string, number[]>();
    const groupsInFlight = new Set<string>();
    let overlap = false;
    let mostOfOneGroup = 0;
    let groupAttributes = true;
    const { esm, queue } = await mapping("ordered", { visibilityTimeout: 30, maxReceiveCount: 3, fifo: true }, { batchSize: 3, maximumConcurrency: 3 }, async (event) => {
      const groups = new Set(event.Records.map((r) => r.body.split(":")[0]!));
      for (const g of groups) mostOfOneGroup = Math.max(mostOfOneGroup, event.Records.filter((r) => r.body.startsWith(`${g}:`)).length);
      groupAttributes &&= event.Records.every((r) => r.attributes.MessageGroupId === r.body.split(":")[0]);
      for (const g of groups) {
        if (groupsInFlight.has(g)) overlap = true;
        groupsInFlight.add(g);
      }
      await sleep(10);
      for (const r of event.Records) {
        const [g, n] = r.body.split(":");
        seen.set(g!, [...(seen.get(g!) ?? []), Number(n)]);
      }
      for (const g of groups) groupsInFlight.delete(g);
      return { ok: true, payload: {} };
    });
    const bodies: string[] = [];
    for (let n = 0; n < 12; n++) for (const g of ["A", "B", "C"]) bodies.push(`${g}:${n}`);
    await sendBodies(cloud.sqs, queue.url, bodies, (b) => b.split(":")[0]!);
    esm.start();
    try {
      await waitFor("36 records", () => [...seen.values()].reduce((a, b) => a + b.length, 0) === 36, 20_000);
    } finally {
      await esm.stop();
    }
    assert.equal(overlap, false, "a message group is never processed by two invocations at once");
    for (const g of ["A", "B", "C"]) assert.deepEqual(seen.get(g), Array.from({ length: 12 }, (_, i) => i), `group ${g} in order`);
    // SQS "returns as many messages with the same message group ID as possible"; one per group
    // would cap a busy symbol at one message per invocation (fauxqs is patched to do as SQS does).
    assert.equal(mostOfOneGroup, 3, "a batch holds several messages of one group");
    assert.ok(groupAttributes, "each record carries its MessageGroupId, as Lambda's FIFO events do");
  });

  it("on a FIFO queue gathers no batch ahead: a waiting batch would hold its groups from every worker", async () => {
    let inFlightDuringFirst = -1;
    let batches = 0;
    const { esm, queue } = await mapping("noahead", { visibilityTimeout: 30, maxReceiveCount: 3, fifo: true }, { batchSize: 2, maximumConcurrency: 1 }, async () => {
      if (++batches === 1) {
        await sleep(300); // time enough for a receive ahead to have happened
        inFlightDuringFirst = await inFlight(queue.url);
      }
      return { ok: true, payload: {} };
    });
    await sendBodies(cloud.sqs, queue.url, ["A:0", "A:1", "B:0", "B:1", "C:0", "C:1"], (b) => b.split(":")[0]!);
    esm.start();
    try {
      await waitFor("three batches", () => batches >= 3, 20_000);
    } finally {
      await esm.stop();
    }
    assert.equal(inFlightDuringFirst, 2, "only the invoked batch's group is in flight");
  });
});
