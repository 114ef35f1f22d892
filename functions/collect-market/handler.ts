import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Context, ScheduledEvent } from "aws-lambda";
import { queueWriters } from "../../lib/adapters/aws/queueWriters.ts";
import { onContainerShutdown } from "../../lib/lambda/containerShutdown.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { readCollectorConfig } from "../../lib/market/collect/CollectorConfig.ts";
import { RegionRefusedError } from "../../lib/market/exchanges/ExchangeRefusal.ts";
import { CollectionError, runCollectionWindow, type CollectionStats } from "../../lib/market/collect/runCollectionWindow.ts";

// Created once per container and reused across invocations; a bad setting fails the cold start naming the variable.
const logger = createLogger("collect-market");
const config = readCollectorConfig();
const writers = queueWriters({ rawBucket: config.rawBucket, queues: { prices: config.priceQueue } });
const deps = { archive: writers.archive, producer: writers.producer, queueUrl: writers.queueUrl.prices, logger };

// A container retired mid-window (the local stack stopping) ends the window early
// and ships what it has read, instead of dropping it.
let window: { abort: AbortController; done: Promise<unknown> } | undefined;
onContainerShutdown(async () => {
  window?.abort.abort();
  await window?.done;
});

/** Scheduled (rate(1 minute)): one collection window across the configured exchanges, ending in a final flush. */
export const handler = middy<ScheduledEvent, CollectionStats>()
  .use(injectLambdaContext(logger))
  .handler(async (event: ScheduledEvent, context: Context) => {
    let stats: CollectionStats;
    const abort = new AbortController();
    try {
      const run = runCollectionWindow(config, deps, {
        remainingTimeMs: context.getRemainingTimeInMillis(),
        correlationId: event.id ?? context.awsRequestId,
        signal: abort.signal,
      });
      window = { abort, done: run.catch(() => undefined) };
      stats = await run;
    } catch (error) {
      // Fail the invocation (alarms, retries) but keep what was counted.
      if (error instanceof CollectionError) logger.error("collection window lost batches", { ...error.stats });
      // One error per invocation naming the exchange and the region; the other exchanges' batches were shipped.
      if (error instanceof RegionRefusedError) logger.error(error.message, { refusals: error.refusals, region: error.region, stats: error.stats });
      throw error;
    } finally {
      window = undefined;
    }
    logger.info("collection window done", { ...stats });
    return stats;
  });
