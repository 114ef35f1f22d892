import { queueWriters } from "../../lib/adapters/aws/queueWriters.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { scheduleHandler } from "../../lib/lambda/scheduleHandler.ts";
import { readCollectorConfig } from "../../lib/market/collect/CollectorConfig.ts";
import { scheduledCollection } from "../../lib/market/collect/scheduledCollection.ts";

// Created once per container and reused across invocations; a bad setting fails the cold start naming the variable.
const logger = createLogger("collect-market");
const config = readCollectorConfig();
const writers = queueWriters({ rawBucket: config.rawBucket, queues: { prices: config.priceQueue } });

/**
 * Scheduled (rate(1 minute)): one collection window across the configured exchanges, ending in a final flush.
 * A container retired mid-window (the local stack stopping) ends the window early and ships what it has read.
 */
export const handler = scheduleHandler(
  scheduledCollection(config, { archive: writers.archive, producer: writers.producer, queueUrl: writers.queueUrl.prices, logger }),
  { logger, abortOnShutdown: true },
);
