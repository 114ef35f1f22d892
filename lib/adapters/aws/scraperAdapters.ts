import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { envString } from "../../config/readEnv.ts";
import { SqsSink } from "../../scraper/sinks/SqsSink.ts";
import type { StateStore } from "../../scraper/StateStore.ts";
import { createS3Client, createSqsClient } from "./clients.ts";
import { queueWriters } from "./queueWriters.ts";
import { S3StateStore } from "./S3StateStore.ts";

type Env = Record<string, string | undefined>;
type Clients = { sqs: SQSClient; s3: S3Client };

/** The scrapers' sqs sink from the environment: NEWS_QUEUE, PRICE_QUEUE (names) and RAW_BUCKET. */
export function sqsSinkFromEnv(clients: Clients, env: Env = process.env): SqsSink {
  const writers = queueWriters({ rawBucket: envString(env, "RAW_BUCKET"), queues: { news: envString(env, "NEWS_QUEUE"), prices: envString(env, "PRICE_QUEUE") } }, clients);
  return new SqsSink({ producer: writers.producer, archive: writers.archive, queueUrl: (kind) => writers.queueUrl[kind]() });
}

/** The scrapers' seen-URL state: SCRAPER_STATE_BUCKET, by default the raw archive's bucket (RAW_BUCKET). */
export function scraperStateFromEnv(s3: S3Client, env: Env = process.env): StateStore {
  return new S3StateStore(s3, envString(env, "SCRAPER_STATE_BUCKET", envString(env, "RAW_BUCKET")));
}

/** A scheduled scraper's state store and queue sink (the sink built on first use), clients created once. */
export function scraperAdapters(env: Env = process.env): { state: StateStore; queueSink: () => SqsSink } {
  const clients = { sqs: createSqsClient(), s3: createS3Client() };
  return { state: scraperStateFromEnv(clients.s3, env), queueSink: () => sqsSinkFromEnv(clients, env) };
}
