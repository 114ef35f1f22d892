// Local SQS → Lambda event source mapping: throughput with a no-op function, and
// how throughput scales with maximumConcurrency when each invocation waits on I/O
// (the baseline is concurrency 1, measured in the same run).
import { SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { EventSourceMapping } from "../localcloud/esm/EventSourceMapping.ts";
import { createQueues, queueWithDlq, startLocalSqsS3 } from "../test/helpers/localSqsS3.ts";

const quick = process.argv.includes("--quick");
const MESSAGES = quick ? 1000 : 5000;

const cloud = await startLocalSqsS3();
let run = 0;

async function measure(concurrency: number, workMs: number, batchSize: number): Promise<number> {
  const name = `bench${run++}`;
  const created = await createQueues(cloud, queueWithDlq(name, { visibilityTimeout: 120, maxReceiveCount: 3 }));
  const queue = created.queues.get(name)!;
  for (let i = 0; i < MESSAGES; i += 10) {
    await cloud.sqs.send(new SendMessageBatchCommand({
      QueueUrl: queue.url,
      Entries: Array.from({ length: 10 }, (_, n) => ({ Id: String(n), MessageBody: `{"n":${i + n}}` })),
    }));
  }
  let processed = 0;
  const esm = new EventSourceMapping(
    cloud.sqs,
    { functionName: name, queueUrl: queue.url, queueArn: queue.arn, batchSize, maximumBatchingWindowSeconds: 0, maximumConcurrency: concurrency, reportBatchItemFailures: true, region: "us-east-1" },
    async (_fn, event) => {
      if (workMs > 0) await new Promise((r) => setTimeout(r, workMs));
      processed += event.Records.length;
      return { ok: true, payload: { batchItemFailures: [] } };
    },
  );
  const started = performance.now();
  esm.start();
  while (esm.stats.recordsDeleted < MESSAGES) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - started) / 1000;
  await esm.stop();
  if (processed < MESSAGES) throw new Error(`lost messages: ${processed}/${MESSAGES}`);
  return MESSAGES / seconds;
}

console.log(`${MESSAGES} messages per run, batch size 10`);
const noop = await measure(1, 0, 10);
console.log(`no-op function, concurrency 1: ${noop.toFixed(0)} messages/s (delivery overhead ${(1000 / noop).toFixed(3)} ms/message)`);
const base = await measure(1, 20, 10);
console.log(`20 ms of I/O per invocation, concurrency 1 (baseline): ${base.toFixed(0)} messages/s`);
for (const c of [2, 4, 8]) {
  const rate = await measure(c, 20, 10);
  console.log(`20 ms of I/O per invocation, concurrency ${c}: ${rate.toFixed(0)} messages/s = ${(rate / base).toFixed(2)}× the baseline (ideal ${c}×)`);
}
await cloud.close();
