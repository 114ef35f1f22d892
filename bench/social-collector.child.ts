// collect-social's window in a process of its own (the benchmark measures its CPU
// apart from the simulator and the local SQS/S3 it writes to). Settings come from
// the environment as in the function; prints one JSON line of results.
import { performance } from "node:perf_hooks";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { S3RawArchive } from "../lib/adapters/aws/S3RawArchive.ts";
import { QueueProducer } from "../lib/adapters/aws/QueueProducer.ts";
import { S3StateStore } from "../lib/adapters/aws/S3StateStore.ts";
import { SocialCursors } from "../lib/social/collect/SocialCursors.ts";
import { readSocialCollectorConfig } from "../lib/social/collect/SocialCollectorConfig.ts";
import { runSocialWindow } from "../lib/social/collect/runSocialWindow.ts";

const endpoint = process.env.BENCH_ENDPOINT!;
const queueUrl = process.env.BENCH_QUEUE_URL!;
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };
const s3 = new S3Client({ region: "us-east-1", endpoint, credentials, forcePathStyle: true });
const sqs = new SQSClient({ region: "us-east-1", endpoint, credentials });
const config = readSocialCollectorConfig();
const deps = {
  archive: new S3RawArchive(s3, config.rawBucket),
  producer: new QueueProducer(sqs, { claimCheck: { s3, bucket: config.rawBucket } }),
  queueUrl: async () => queueUrl,
  cursors: new SocialCursors(new S3StateStore(s3, config.stateBucket)),
};
const cpu0 = process.cpuUsage();
const elu0 = performance.eventLoopUtilization();
const stats = await runSocialWindow(config, deps, { remainingTimeMs: config.windowMs + config.flushReserveMs, correlationId: "bench" });
const cpu = process.cpuUsage(cpu0);
const elu = performance.eventLoopUtilization(elu0);
console.log(JSON.stringify({ stats, cpuMs: (cpu.user + cpu.system) / 1000, elu: elu.utilization, rssMb: process.memoryUsage().rss / 1e6, endUs: Date.now() * 1000 }));
s3.destroy();
sqs.destroy();
