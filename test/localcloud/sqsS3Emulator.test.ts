// The embedded SQS + S3 emulator as the local stack relies on it: what a producer
// was told is stored survives a kill -9, and it accepts and refuses message text as
// SQS does.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { startSqsS3 } from "../../localcloud/sqs-s3/startSqsS3.ts";
import { SQS_FORBIDDEN_CHARACTER } from "../../localcloud/sqs-s3/fauxqsInternals.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const clients = (url: string) => ({
  sqs: new SQSClient({ region: "us-east-1", endpoint: url, credentials }),
  s3: new S3Client({ region: "us-east-1", endpoint: url, credentials, forcePathStyle: true }),
});

/** Starts the emulator in a child process on `dir`; resolves with its URL and a SIGKILL. */
async function emulatorProcess(dir: string): Promise<{ url: string; releasedInFlight: number; kill(): Promise<void> }> {
  const script = fileURLToPath(new URL("./fixtures/emulatorProcess.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, dir], { stdio: ["ignore", "pipe", "inherit"] });
  const first = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
    createInterface({ input: child.stdout! }).once("line", resolve);
  });
  const { url, releasedInFlight } = JSON.parse(first) as { url: string; releasedInFlight: number };
  return {
    url,
    releasedInFlight,
    kill: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

describe("a kill -9 of the emulator", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "sqs-s3-durable-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("loses no message or object it acknowledged, and releases what was in flight", async () => {
    // Prepare: a queue with 120 acknowledged messages, 10 of them received (in flight,
    // 300 s visibility) when the process dies; an object beside them.
    const crashed = await emulatorProcess(dir);
    let { sqs, s3 } = clients(crashed.url);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "durable", Attributes: { VisibilityTimeout: "300" } }));
    const sent = new Set<string>();
    for (let batch = 0; batch < 12; batch++) {
      const entries = Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: `message ${batch * 10 + i} 🚀` }));
      const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
      assert.equal(result.Failed?.length ?? 0, 0);
      for (const e of entries) sent.add(e.MessageBody);
    }
    // Two received and handed back at once (what `npm run queues -- peek` does), then 10 held.
    const peeked = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2 }));
    for (const m of peeked.Messages ?? []) await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }));
    const inFlight = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(inFlight.Messages?.length, 10);
    await s3.send(new CreateBucketCommand({ Bucket: "raw" }));
    await s3.send(new PutObjectCommand({ Bucket: "raw", Key: "raw/a/b.jsonl.gz", Body: Buffer.from("payload"), ContentType: "application/gzip" }));
    sqs.destroy();
    s3.destroy();

    // Act: SIGKILL, then a new process on the same directory.
    await crashed.kill();
    const restarted = await emulatorProcess(dir);
    ({ sqs, s3 } = clients(restarted.url));
    try {
      // Assess: all 120 are receivable now (the 10 in flight without waiting 300 s), once each.
      assert.equal(restarted.releasedInFlight, 10);
      const url = (await sqs.send(new CreateQueueCommand({ QueueName: "durable", Attributes: { VisibilityTimeout: "300" } }))).QueueUrl!;
      assert.ok(url.startsWith(restarted.url), `queue URL ${url} points at this run's endpoint`);
      const received: string[] = [];
      let receivedBefore = 0;
      for (;;) {
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["ApproximateReceiveCount"] }));
        if (!r.Messages?.length) break;
        received.push(...r.Messages.map((m) => m.Body!));
        receivedBefore += r.Messages.filter((m) => m.Attributes?.ApproximateReceiveCount === "2").length;
      }
      assert.equal(received.length, 120);
      // Receive counts survive (so a poison message still reaches its DLQ): the 12 received before the crash.
      assert.equal(receivedBefore, 12);
      assert.deepEqual(new Set(received), sent);
      const object = await s3.send(new GetObjectCommand({ Bucket: "raw", Key: "raw/a/b.jsonl.gz" }));
      assert.equal(await object.Body!.transformToString(), "payload");
      assert.equal(object.ContentType, "application/gzip");
    } finally {
      sqs.destroy();
      s3.destroy();
      await restarted.kill();
    }
  });
});

describe("message text", () => {
  let local: LocalSqsS3;
  let queueUrl: string;
  before(async () => {
    local = await startLocalSqsS3();
    queueUrl = (await local.sqs.send(new CreateQueueCommand({ QueueName: "text" }))).QueueUrl!;
  });
  after(() => local.close());

  it("accepts every character SQS accepts, emoji and other supplementary characters included", async () => {
    for (const body of ["plain", "tab\tnew\nline\r", "emoji 🚀📉", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u{10FFFF}", "\uE000\uFFFD", "中文 العربية"]) {
      const sent = await local.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      assert.ok(sent.MessageId, JSON.stringify(body));
    }
    const batch = await local.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: "a", MessageBody: "batch 🚀" }] }));
    assert.equal(batch.Successful?.length, 1);
  });

  it("refuses what SQS refuses: lone surrogates, U+FFFE, U+FFFF, control characters", async () => {
    for (const body of ["lone \uD83D high", "lone \uDE80 low", "\uFFFE", "\uFFFF", "bell \u0007", "nul \u0000"]) {
      await assert.rejects(local.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body })), /invalid|InvalidMessageContents/i, JSON.stringify(body));
      assert.ok(SQS_FORBIDDEN_CHARACTER.test(body), JSON.stringify(body));
    }
    const batch = await local.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: "a", MessageBody: "ok" }, { Id: "b", MessageBody: "bad \uFFFF" }] }));
    assert.deepEqual([batch.Successful?.map((s) => s.Id), batch.Failed?.map((f) => f.Id)], [["a"], ["b"]]);
  });
});

describe("in memory", () => {
  it("keeps nothing between runs without a data directory", async () => {
    const first = await startSqsS3({ port: 0 });
    const { sqs } = clients(first.url);
    await sqs.send(new CreateQueueCommand({ QueueName: "ephemeral" }));
    sqs.destroy();
    await first.close();
    const second = await startSqsS3({ port: 0 });
    const c = clients(second.url);
    try {
      await assert.rejects(c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: `${second.url}/000000000000/ephemeral`, AttributeNames: ["All"] })));
    } finally {
      c.sqs.destroy();
      await second.close();
    }
  });
});
