// A collection window in a worker thread, so a test can kill it mid-window
// (worker.terminate(): no finally blocks, no final flush, as a crashed process).
import { parentPort, workerData } from "node:worker_threads";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { S3RawArchive } from "../../../lib/adapters/aws/S3RawArchive.ts";
import { QueueProducer } from "../../../lib/adapters/aws/QueueProducer.ts";
import { S3StateStore } from "../../../lib/adapters/aws/S3StateStore.ts";
import { SocialCursors } from "../../../lib/social/collect/SocialCursors.ts";
import { readSocialCollectorConfig } from "../../../lib/social/collect/SocialCollectorConfig.ts";
import { runSocialWindow } from "../../../lib/social/collect/runSocialWindow.ts";

export interface CollectorWorkerData {
  endpoint: string;
  bucket: string;
  stateBucket: string;
  queueUrl: string;
  env: Record<string, string>;
  remainingTimeMs: number;
}

const data = workerData as CollectorWorkerData;
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const s3 = new S3Client({ region: "us-east-1", endpoint: data.endpoint, credentials, forcePathStyle: true });
const sqs = new SQSClient({ region: "us-east-1", endpoint: data.endpoint, credentials });
const config = readSocialCollectorConfig(data.env);
const stats = await runSocialWindow(
  config,
  {
    archive: new S3RawArchive(s3, data.bucket),
    producer: new QueueProducer(sqs, { claimCheck: { s3, bucket: data.bucket } }),
    queueUrl: async () => data.queueUrl,
    cursors: new SocialCursors(new S3StateStore(s3, data.stateBucket)),
  },
  { remainingTimeMs: data.remainingTimeMs, correlationId: "worker", onStarted: () => parentPort!.postMessage({ type: "started" }) },
);
parentPort!.postMessage({ type: "done", stats });
