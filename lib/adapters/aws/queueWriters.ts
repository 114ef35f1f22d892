import type { S3Client } from "@aws-sdk/client-s3";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Archive } from "../../archive/Archive.ts";
import type { MessageProducer } from "../../queue/MessageProducer.ts";
import { createS3Client, createSqsClient } from "./clients.ts";
import { QueueProducer } from "./QueueProducer.ts";
import { queueUrlResolver } from "./queueUrl.ts";
import { S3RawArchive } from "./S3RawArchive.ts";

export interface QueueWriterSettings<K extends string> {
  /** The raw archive's bucket; claim-checked payloads go there too (under payloads/). */
  rawBucket: string;
  /** Queue names by kind (e.g. news → cryptoviz-prod-news-tasks). */
  queues: Record<K, string>;
}

export interface QueueWriters<K extends string> {
  archive: Archive;
  producer: MessageProducer;
  /** Each queue's URL, resolved once per container. */
  queueUrl: Record<K, () => Promise<string>>;
}

/**
 * What every producer (the webhook, the collector, the scrapers' queue sink)
 * writes through: the raw archive, the queue producer with its claim check in
 * the same bucket, and the queues' URLs. Clients are created once, here.
 */
export function queueWriters<K extends string>(
  settings: QueueWriterSettings<K>,
  clients: { sqs: SQSClient; s3: S3Client } = { sqs: createSqsClient(), s3: createS3Client() },
): QueueWriters<K> {
  const { sqs, s3 } = clients;
  const entries = Object.entries(settings.queues) as Array<[K, string]>;
  return {
    archive: new S3RawArchive(s3, settings.rawBucket),
    producer: new QueueProducer(sqs, { claimCheck: { s3, bucket: settings.rawBucket } }),
    queueUrl: Object.fromEntries(entries.map(([kind, name]) => [kind, queueUrlResolver(sqs, name)])) as Record<K, () => Promise<string>>,
  };
}
