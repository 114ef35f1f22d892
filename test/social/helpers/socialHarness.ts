import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { CreateBucketCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { S3RawArchive } from "../../../lib/adapters/aws/S3RawArchive.ts";
import { QueueProducer } from "../../../lib/adapters/aws/QueueProducer.ts";
import { S3StateStore } from "../../../lib/adapters/aws/S3StateStore.ts";
import { parseWireEnvelope, validatePayload } from "../../../lib/queue/envelope.ts";
import { SocialCursors } from "../../../lib/social/collect/SocialCursors.ts";
import { readSocialCollectorConfig, type SocialCollectorConfig } from "../../../lib/social/collect/SocialCollectorConfig.ts";
import type { SocialCollectorDeps } from "../../../lib/social/collect/runSocialWindow.ts";
import type { JetstreamSimStream } from "../../../lib/social/sources/jetstream/simulate.ts";
import { SOCIAL_BATCH_SCHEMA, socialBatchSchema, type SocialBatch } from "../../../contracts/social.ts";
import type { Envelope } from "../../../contracts/envelope.ts";
import { createQueues, queueWithDlq, type LocalSqsS3 } from "../../helpers/localSqsS3.ts";

export const BUCKET = "social-test-raw";
let counter = 0;

export async function createBucket(cloud: LocalSqsS3, name = BUCKET): Promise<string> {
  await cloud.s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

/** A bucket of its own for a test's cursors (they live at fixed keys). */
export const freshStateBucket = (cloud: LocalSqsS3) => createBucket(cloud, `social-state-${++counter}-${Math.random().toString(36).slice(2, 6)}`);

/** A fresh social-tasks queue (with its DLQ) per test. */
export async function freshQueue(cloud: LocalSqsS3): Promise<{ name: string; url: string }> {
  const name = `social${++counter}${Math.random().toString(36).slice(2, 6)}`;
  const created = await createQueues(cloud, queueWithDlq(name, { visibilityTimeout: 180, maxReceiveCount: 5 }));
  return { name, url: created.queues.get(name)!.url };
}

export function socialConfig(jetstreamUrl: string, queue: string, env: Record<string, string> = {}): SocialCollectorConfig {
  return readSocialCollectorConfig({
    SOCIAL_JETSTREAM_URL: jetstreamUrl,
    SOCIAL_QUEUE: queue,
    RAW_BUCKET: BUCKET,
    SOCIAL_FLUSH_RESERVE_MS: "0",
    SOCIAL_RECONNECT_BASE_MS: "50",
    SOCIAL_RECONNECT_MAX_MS: "400",
    ...env,
  });
}

/** The collector's writers against the local emulator; `stateKeyPrefix` keeps each test's cursors apart. */
export function socialDeps(cloud: LocalSqsS3, queueUrl: string, stateBucket = BUCKET): Omit<SocialCollectorDeps, "logger"> {
  return {
    archive: new S3RawArchive(cloud.s3, BUCKET),
    producer: new QueueProducer(cloud.sqs, { claimCheck: { s3: cloud.s3, bucket: BUCKET } }),
    queueUrl: async () => queueUrl,
    cursors: new SocialCursors(new S3StateStore(cloud.s3, stateBucket)),
  };
}

/** Every message on the queue, validated as a consumer would. */
export async function drainSocialQueue(cloud: LocalSqsS3, url: string): Promise<Array<Envelope<SocialBatch>>> {
  const out: Array<Envelope<SocialBatch>> = [];
  for (;;) {
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 120 }));
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) {
      const wire = parseWireEnvelope(m.Body!);
      out.push(validatePayload(wire, wire.payload, { [SOCIAL_BATCH_SCHEMA]: socialBatchSchema }));
    }
  }
}

export async function countObjects(cloud: LocalSqsS3, prefix: string): Promise<number> {
  let n = 0;
  let token: string | undefined;
  do {
    const page = await cloud.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    n += page.KeyCount ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return n;
}

/** The simulator's posts with time in [fromUs, toUs] that were written to mention a coin: id → { coins, timeUs }. */
export function expectedMatches(stream: JetstreamSimStream, fromUs: number, toUs: number): Map<string, { coins: string[]; timeUs: number }> {
  const out = new Map<string, { coins: string[]; timeUs: number }>();
  for (let i = stream.indexAt(fromUs); stream.timeOf(i) <= toUs; i++) {
    const e = stream.event(i);
    if (e.post && e.post.expectedCoins.length > 0) out.set(e.post.id, { coins: e.post.expectedCoins, timeUs: e.timeUs });
  }
  return out;
}
