import type { LogSink } from "../../log/LogSink.ts";
import type { SocialCollectorConfig } from "./SocialCollectorConfig.ts";
import { runSocialWindow, SocialCollectionError, type SocialCollectionStats, type SocialCollectorDeps } from "./runSocialWindow.ts";

/** What the schedule tells one run. */
export interface SocialInvocation {
  remainingTimeMs(): number;
  requestId: string;
  /** Ends the window early; what was read is still shipped. */
  signal?: AbortSignal;
}

/**
 * One scheduled social collection (rate(1 minute)): a window across the
 * configured sources, its counts logged per source (offered, matched,
 * enqueued, cursor). A window that could not ship every batch fails the
 * invocation after logging what it counted.
 */
export function scheduledSocialCollection(config: SocialCollectorConfig, deps: SocialCollectorDeps & { logger: LogSink }) {
  const { logger } = deps;
  return async (event: { id?: string } | undefined, invocation: SocialInvocation): Promise<SocialCollectionStats> => {
    let stats: SocialCollectionStats;
    try {
      stats = await runSocialWindow(config, deps, {
        remainingTimeMs: invocation.remainingTimeMs(),
        correlationId: event?.id ?? invocation.requestId,
        ...(invocation.signal ? { signal: invocation.signal } : {}),
      });
    } catch (error) {
      if (error instanceof SocialCollectionError) logger.error("social window lost batches", { ...error.stats });
      throw error;
    }
    for (const [source, s] of Object.entries(stats.sources)) {
      const seconds = Math.max(0.001, stats.windowMs / 1000);
      logger.info("social window done", {
        source,
        windowMs: stats.windowMs,
        offered: s.offered,
        matched: s.matched,
        enqueued: s.enqueued,
        offeredPerSecond: Math.round(s.offered / seconds),
        resumedFromUs: s.resumedFromUs,
        cursorUs: s.cursorUs,
        cursorLagMs: s.cursorUs === undefined ? undefined : Math.round(Date.now() - s.cursorUs / 1000),
        duplicates: s.duplicates,
        malformed: s.malformed,
        reconnects: s.reconnects,
      });
    }
    return stats;
  };
}
