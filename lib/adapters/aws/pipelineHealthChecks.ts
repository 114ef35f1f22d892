import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { envString } from "../../config/readEnv.ts";
import type { DependencyCheck } from "../../health/checkHealth.ts";
import { createS3Client, createSqsClient } from "./clients.ts";

type Env = Record<string, string | undefined>;

/** /health/deep's AWS probes: both task queues exist (NEWS_QUEUE, PRICE_QUEUE) and the raw bucket answers (RAW_BUCKET). */
export function pipelineHealthChecks(env: Env = process.env): DependencyCheck[] {
  const sqs = createSqsClient();
  const s3 = createS3Client();
  const newsQueue = envString(env, "NEWS_QUEUE");
  const priceQueue = envString(env, "PRICE_QUEUE");
  const rawBucket = envString(env, "RAW_BUCKET");
  return [
    { name: "queue:news", check: () => sqs.send(new GetQueueUrlCommand({ QueueName: newsQueue })) },
    { name: "queue:prices", check: () => sqs.send(new GetQueueUrlCommand({ QueueName: priceQueue })) },
    { name: "bucket:raw", check: () => s3.send(new HeadBucketCommand({ Bucket: rawBucket })) },
  ];
}
