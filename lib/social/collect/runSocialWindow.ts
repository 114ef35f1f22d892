import { socialPostSchema, type SocialPost, type SocialSource } from "../../../contracts/social.ts";
import type { Archive } from "../../archive/Archive.ts";
import type { LogSink } from "../../log/LogSink.ts";
import type { MessageProducer } from "../../queue/MessageProducer.ts";
import { coinMatcher } from "../keywords/matchCoins.ts";
import type { SourceSession, SourceSink, SourceStats } from "../sources/SourcePost.ts";
import { openSocialSource, type OpenSource } from "./openSocialSource.ts";
import { SocialBatcher } from "./SocialBatcher.ts";
import type { SocialCollectorConfig } from "./SocialCollectorConfig.ts";
import type { SocialCursors } from "./SocialCursors.ts";
import { SocialShipper } from "./SocialShipper.ts";

export interface SocialCollectorDeps {
  archive: Archive;
  producer: MessageProducer;
  queueUrl: () => Promise<string>;
  cursors: SocialCursors;
  /** The sources' sessions (default: Jetstream only; openSocialSource with X's token for X). */
  openSource?: OpenSource;
  logger?: LogSink;
}

export interface SocialWindowOptions {
  remainingTimeMs: number;
  correlationId: string;
  /** Ends the window early; what was read is still shipped and its cursor written. */
  signal?: AbortSignal;
  /** Called once every source has started. */
  onStarted?: () => void;
}

export interface SourceWindowStats extends SourceStats {
  /** Posts that mention a followed coin. */
  matched: number;
  /** Matched posts read twice within the window (a reconnect's rewind), dropped. */
  duplicates: number;
  /** Matched posts the contract refuses (never expected: counted to be seen). */
  invalid: number;
  enqueued: number;
  batches: number;
  failedBatches: number;
  /** Where reading started: the saved cursor minus the overlap, or the live stream. */
  resumedFromUs: number | undefined;
  /** The cursor written at the end of the window. */
  cursorUs: number | undefined;
  cursorWrites: number;
  cursorWriteFailures: number;
  maxPendingBatches: number;
}

export interface SocialCollectionStats {
  windowMs: number;
  elapsedMs: number;
  sources: Partial<Record<SocialSource, SourceWindowStats>>;
  failures: Array<{ source: SocialSource; batchId: string; error: string }>;
}

/** Some batches could not be archived and enqueued; their posts are read again next window (the cursor stayed before them). */
export class SocialCollectionError extends Error {
  override readonly name = "SocialCollectionError";
  constructor(readonly stats: SocialCollectionStats) {
    super(`${stats.failures.length} social batch(es) not enqueued: ${stats.failures[0]?.error ?? "unknown"}`);
  }
}

/** One source's path through a window: its stream, batcher, shipper and counts. */
interface Lane {
  source: SocialSource;
  session: SourceSession;
  shipper: SocialShipper;
  batcher: SocialBatcher;
  counts: { matched: number; duplicates: number; invalid: number };
  resumedFromUs: number | undefined;
}

export function socialWindowLength(config: Pick<SocialCollectorConfig, "windowMs" | "flushReserveMs">, remainingTimeMs: number): number {
  return Math.max(0, Math.min(config.windowMs, remainingTimeMs - config.flushReserveMs));
}

/**
 * One collection window: each configured source resumes from its cursor
 * (minus the overlap), every post is matched against the followed coins, the
 * matched ones are batched, archived and enqueued in order, and the cursor
 * follows each enqueued batch. When the window ends (or the signal aborts)
 * the streams close, the last batch is shipped and the final cursor written.
 */
export async function runSocialWindow(config: SocialCollectorConfig, deps: SocialCollectorDeps, options: SocialWindowOptions): Promise<SocialCollectionStats> {
  const started = Date.now();
  const windowMs = socialWindowLength(config, options.remainingTimeMs);
  const match = coinMatcher(config.keywords);
  const open = deps.openSource ?? openSocialSource(config, { ...(deps.logger ? { logger: deps.logger } : {}) });
  const lanes: Lane[] = [];
  for (const source of config.sources) {
    const saved = await deps.cursors.read(source);
    const resumedFromUs = saved === undefined ? undefined : Math.max(0, saved - config.resumeOverlapUs);
    const shipper = new SocialShipper(deps.archive, deps.producer, deps.queueUrl, deps.cursors, {
      source,
      correlationId: options.correlationId,
      cursorSaveMs: config.cursorSaveMs,
      onError: (error, batchId) => deps.logger?.error("social batch not shipped", { source, batchId, error: (error as Error).message }),
    });
    const batcher = new SocialBatcher(config.batching, (batch) => shipper.ship(batch));
    const counts = { matched: 0, duplicates: 0, invalid: 0 };
    const seen = new Set<string>();
    const sink: SourceSink = ({ positionUs, post }) => {
      if (!post) return batcher.advance(positionUs);
      const coins = match(post.text);
      if (coins.length === 0) return batcher.advance(positionUs);
      if (seen.has(post.id)) {
        counts.duplicates++;
        return batcher.advance(positionUs);
      }
      seen.add(post.id);
      const candidate: SocialPost = { ...post, coins, receivedAt: new Date().toISOString() };
      const checked = socialPostSchema.safeParse(candidate);
      if (!checked.success) {
        counts.invalid++;
        deps.logger?.warn("social post refused by the contract", { source, id: post.id, field: checked.error.issues[0]?.path.join("."), reason: checked.error.issues[0]?.message });
        return batcher.advance(positionUs);
      }
      counts.matched++;
      batcher.add(checked.data, positionUs);
    };
    lanes.push({ source, session: open(source, sink), shipper, batcher, counts, resumedFromUs });
  }

  const setPaused = (lane: Lane, paused: boolean) => lane.session.setPaused(paused);
  const watch = setInterval(() => {
    for (const lane of lanes) {
      if (lane.shipper.backlog > config.maxPendingBatches) setPaused(lane, true);
      else if (lane.shipper.backlog <= config.maxPendingBatches / 2) setPaused(lane, false);
    }
  }, 20);

  if (windowMs > 0 && !options.signal?.aborted) {
    for (const lane of lanes) lane.session.start(lane.resumedFromUs);
    options.onStarted?.();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, windowMs);
      options.signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  clearInterval(watch);
  for (const lane of lanes) setPaused(lane, false);
  await Promise.all(lanes.map((l) => l.session.stop()));
  for (const lane of lanes) lane.batcher.flush();
  await Promise.all(lanes.map((l) => l.shipper.drain()));

  const stats: SocialCollectionStats = {
    windowMs,
    elapsedMs: Date.now() - started,
    sources: Object.fromEntries(
      lanes.map((l) => [
        l.source,
        {
          ...l.session.stats,
          ...l.counts,
          enqueued: l.shipper.stats.postsEnqueued,
          batches: l.shipper.stats.batches,
          failedBatches: l.shipper.stats.failedBatches,
          resumedFromUs: l.resumedFromUs,
          cursorUs: l.shipper.stats.cursorUs,
          cursorWrites: l.shipper.stats.cursorWrites,
          cursorWriteFailures: l.shipper.stats.cursorWriteFailures,
          maxPendingBatches: l.shipper.stats.maxPending,
        },
      ]),
    ),
    failures: lanes.flatMap((l) => l.shipper.failures.map((f) => ({ source: l.source, ...f }))),
  };
  if (stats.failures.length > 0) throw new SocialCollectionError(stats);
  return stats;
}
