// The pipeline benchmark's collector in its own thread: one collection window
// (websocket parsing, batching, raw archive, SQS), as `collect-market` runs in
// its own Lambda. The simulator has a thread of its own; the consumer, the SQS/S3
// emulator and the broker stay on the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { runCollectionWindow } from "../lib/market/collect/runCollectionWindow.ts";
import { collectorConfig, collectorDeps } from "../test/market/collectorHarness.ts";
import type { LocalSqsS3 } from "../test/helpers/localSqsS3.ts";

export interface CollectorJob {
  endpoint: string;
  queueName: string;
  queueUrl: string;
  simUrls: { binance: string; binanceRest: string; kucoinRest: string; bitmex: string; bitmexRest: string };
  env: Record<string, string>;
}

const job = workerData as CollectorJob;
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const clients = {
  sqs: new SQSClient({ region: "us-east-1", endpoint: job.endpoint, credentials }),
  s3: new S3Client({ region: "us-east-1", endpoint: job.endpoint, credentials, forcePathStyle: true }),
} as unknown as LocalSqsS3;
parentPort!.postMessage({ type: "ready" });
const stats = await runCollectionWindow(collectorConfig({ urls: job.simUrls }, job.queueName, job.env), collectorDeps(clients, job.queueUrl), {
  remainingTimeMs: 3_600_000,
  correlationId: "pipeline-bench",
});
parentPort!.postMessage({ type: "flushed", stats });
clients.sqs.destroy();
clients.s3.destroy();
