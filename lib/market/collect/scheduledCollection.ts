import type { LogSink } from "../../log/LogSink.ts";
import { RegionRefusedError } from "../exchanges/ExchangeRefusal.ts";
import type { CollectorConfig } from "./CollectorConfig.ts";
import { CollectionError, runCollectionWindow, type CollectionStats, type CollectorDeps } from "./runCollectionWindow.ts";

/** What the schedule tells one run. */
export interface CollectionInvocation {
  remainingTimeMs(): number;
  requestId: string;
  /** Ends the window early; the batches read so far are still shipped. */
  signal?: AbortSignal;
}

/**
 * One scheduled collection (rate(1 minute)): a window across the configured
 * exchanges ending in a final flush, its outcome logged. A failed window
 * fails the invocation (alarms) but logs what was counted first.
 */
export function scheduledCollection(config: CollectorConfig, deps: CollectorDeps & { logger: LogSink }) {
  const { logger } = deps;
  return async (event: { id?: string } | undefined, invocation: CollectionInvocation): Promise<CollectionStats> => {
    let stats: CollectionStats;
    try {
      stats = await runCollectionWindow(config, deps, {
        remainingTimeMs: invocation.remainingTimeMs(),
        correlationId: event?.id ?? invocation.requestId,
        ...(invocation.signal ? { signal: invocation.signal } : {}),
      });
    } catch (error) {
      if (error instanceof CollectionError) logger.error("collection window lost batches", { ...error.stats });
      // One error per invocation naming the exchange and the region; the other exchanges' batches were shipped.
      if (error instanceof RegionRefusedError) logger.error(error.message, { refusals: error.refusals, region: error.region, stats: error.stats });
      throw error;
    }
    logger.info("collection window done", { ...stats });
    return stats;
  };
}
