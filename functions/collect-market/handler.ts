import { createS3Client, createSqsClient } from "../../lib/adapters/aws/clients.ts";
import { queueWriters } from "../../lib/adapters/aws/queueWriters.ts";
import { S3StateStore } from "../../lib/adapters/aws/S3StateStore.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { scheduleHandler } from "../../lib/lambda/scheduleHandler.ts";
import { readCollectorConfig } from "../../lib/market/collect/CollectorConfig.ts";
import { scheduledCollection } from "../../lib/market/collect/scheduledCollection.ts";

// Created once per container and reused across invocations; a bad setting fails the cold start naming the variable.
const logger = createLogger("collect-market");
const config = readCollectorConfig();
const clients = { sqs: createSqsClient(), s3: createS3Client() };
const writers = queueWriters({ rawBucket: config.rawBucket, queues: { prices: config.priceQueue } }, clients);
// The gap ledgers live beside the archive they describe (state/market/<exchange>/gaps.json).
const state = new S3StateStore(clients.s3, config.rawBucket);

/**
 * Scheduled (rate(1 minute)): one collection window across the configured exchanges, ending in a final flush.
 * A container retired mid-window (the local stack stopping) ends the window early and ships what it has read.
 */
export const handler = scheduleHandler(
  scheduledCollection(config, { archive: writers.archive, producer: writers.producer, queueUrl: writers.queueUrl.prices, state, logger }),
  { logger, abortOnShutdown: true },
);
