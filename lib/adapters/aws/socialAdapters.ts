import type { LogSink } from "../../log/LogSink.ts";
import { openSocialSource } from "../../social/collect/openSocialSource.ts";
import { SocialCursors } from "../../social/collect/SocialCursors.ts";
import type { SocialCollectorConfig } from "../../social/collect/SocialCollectorConfig.ts";
import type { SocialCollectorDeps } from "../../social/collect/runSocialWindow.ts";
import { createS3Client, createSqsClient } from "./clients.ts";
import { queueWriters } from "./queueWriters.ts";
import { S3StateStore } from "./S3StateStore.ts";
import { prefetch, secretFromEnv } from "./secretFromEnv.ts";

/**
 * What collect-social reads and writes through: the sources (X with its bearer
 * token, X_BEARER_TOKEN or the SSM parameter X_BEARER_TOKEN_PARAMETER names),
 * the raw archive, the social-tasks queue, the cursors in S3; clients created once.
 */
export function socialCollectorAdapters(config: SocialCollectorConfig, logger?: LogSink, env: Record<string, string | undefined> = process.env): Omit<SocialCollectorDeps, "logger"> {
  const xToken = config.sources.includes("x") ? prefetch(secretFromEnv(env, "X_BEARER_TOKEN")) : undefined;
  const clients = { sqs: createSqsClient(), s3: createS3Client() };
  const writers = queueWriters({ rawBucket: config.rawBucket, queues: { social: config.socialQueue } }, clients);
  return {
    archive: writers.archive,
    producer: writers.producer,
    queueUrl: writers.queueUrl.social,
    cursors: new SocialCursors(new S3StateStore(clients.s3, config.stateBucket)),
    openSource: openSocialSource(config, { ...(xToken ? { xToken } : {}), ...(logger ? { logger } : {}) }),
  };
}
