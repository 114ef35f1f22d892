import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { RawArchive } from "../../archive/RawArchive.ts";
import { envString } from "../../config/readEnv.ts";
import { QueueProducer } from "../../queue/QueueProducer.ts";
import { queueUrlResolver } from "../../queue/queueUrl.ts";
import type { ScraperConfig, SinkType } from "../configTypes.ts";
import type { RecordSink } from "./RecordSink.ts";
import { SqsSink } from "./SqsSink.ts";
import { StdoutSink } from "./StdoutSink.ts";
import { WebhookSink } from "./WebhookSink.ts";

type Env = Record<string, string | undefined>;

/** The sqs sink from the environment: NEWS_QUEUE, PRICE_QUEUE (names) and RAW_BUCKET. */
export function sqsSinkFromEnv(sqs: SQSClient, s3: S3Client, env: Env = process.env): SqsSink {
  const rawBucket = envString(env, "RAW_BUCKET");
  const queues = { news: queueUrlResolver(sqs, envString(env, "NEWS_QUEUE")), prices: queueUrlResolver(sqs, envString(env, "PRICE_QUEUE")) };
  return new SqsSink({
    producer: new QueueProducer(sqs, { claimCheck: { s3, bucket: rawBucket } }),
    archive: new RawArchive(s3, rawBucket),
    queueUrl: (kind) => queues[kind](),
  });
}

/**
 * Chooses each config's sink: `override` (the CLI's --sink) or the config's own.
 * The sqs sink is built on first use, so stdout runs need no AWS settings.
 */
export function sinkFactory(clients: () => { sqs: SQSClient; s3: S3Client }, override?: SinkType, env: Env = process.env): (config: ScraperConfig) => RecordSink {
  let sqsSink: SqsSink | undefined;
  const stdout = new StdoutSink();
  const webhook = new WebhookSink({ env });
  return (config) => {
    const type = override ?? config.sink;
    if (type === "stdout") return stdout;
    if (type === "webhook") return webhook;
    if (!sqsSink) {
      const { sqs, s3 } = clients();
      sqsSink = sqsSinkFromEnv(sqs, s3, env);
    }
    return sqsSink;
  };
}
