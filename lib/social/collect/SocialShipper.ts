import type { SocialSource } from "../../../contracts/social.ts";
import type { Archive } from "../../archive/Archive.ts";
import { toJsonLines } from "../../archive/rawArchiveKey.ts";
import { backoffDelay } from "../../async/backoffDelay.ts";
import type { MessageProducer } from "../../queue/MessageProducer.ts";
import type { SocialRawBatch } from "./SocialBatcher.ts";
import type { SocialCursors } from "./SocialCursors.ts";
import { socialBatchId, socialEnvelope } from "./socialEnvelope.ts";

export interface SocialShipperStats {
  batches: number;
  postsEnqueued: number;
  failedBatches: number;
  cursorWrites: number;
  cursorWriteFailures: number;
  /** The last position written as the cursor. */
  cursorUs: number | undefined;
  maxPending: number;
}

export interface SocialShipperOptions {
  source: SocialSource;
  correlationId: string;
  /** Cursor writes at most this often while running (0: after every batch); `drain` always writes the last. */
  cursorSaveMs: number;
  attempts?: number;
  onError?: (error: unknown, batchId: string) => void;
}

/**
 * Ships one source's batches in order: archive (raw/<source>/…), enqueue, and
 * only then advance the cursor to the batch's position. In order, so a written
 * cursor never passes a batch that is not on the queue; a batch that cannot be
 * shipped stops the cursor where it was, and the next window reads it again.
 */
export class SocialShipper {
  readonly stats: SocialShipperStats = { batches: 0, postsEnqueued: 0, failedBatches: 0, cursorWrites: 0, cursorWriteFailures: 0, cursorUs: undefined, maxPending: 0 };
  readonly failures: Array<{ batchId: string; error: string }> = [];
  private readonly pending: SocialRawBatch[] = [];
  private running: Promise<void> | undefined;
  private committedUs: number | undefined;
  private lastWrite = 0;
  private failed = false;

  constructor(
    private readonly archive: Archive,
    private readonly producer: MessageProducer,
    private readonly queueUrl: () => Promise<string>,
    private readonly cursors: SocialCursors,
    private readonly options: SocialShipperOptions,
  ) {}

  get backlog(): number {
    return this.pending.length;
  }

  ship(batch: SocialRawBatch): void {
    this.pending.push(batch);
    this.stats.maxPending = Math.max(this.stats.maxPending, this.pending.length);
    this.running ??= this.pump().finally(() => (this.running = undefined));
  }

  /** Ships everything handed over, then writes the cursor of the last batch shipped. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    await this.writeCursor(true);
  }

  private async pump(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.shift()!;
      if (this.failed) continue; // past a failed batch nothing may be committed; the next window reads it all again
      if (batch.posts.length > 0 && !(await this.shipBatch(batch))) {
        this.failed = true;
        continue;
      }
      if (batch.positionUs !== undefined) this.committedUs = batch.positionUs;
      // A cursor write that fails mid-window costs only overlap (the next write or the final one catches up).
      await this.writeCursor(false).catch((error: unknown) => {
        this.stats.cursorWriteFailures++;
        this.options.onError?.(error, "cursor");
      });
    }
  }

  private async shipBatch(batch: SocialRawBatch): Promise<boolean> {
    const { source } = this.options;
    const batchId = socialBatchId(source, batch.posts);
    const envelope = socialEnvelope(source, batchId, batch.posts, batch.closedAt, this.options.correlationId);
    const attempts = this.options.attempts ?? 4;
    let archived = false;
    for (let attempt = 1; ; attempt++) {
      try {
        if (!archived) await this.archive.putJsonLines(source, batchId, toJsonLines(batch.posts), batch.closedAt);
        archived = true;
        await this.producer.send(await this.queueUrl(), [envelope]);
        this.stats.batches++;
        this.stats.postsEnqueued += batch.posts.length;
        return true;
      } catch (error) {
        if (attempt >= attempts) {
          this.stats.failedBatches++;
          this.failures.push({ batchId, error: (error as Error).message });
          this.options.onError?.(error, batchId);
          return false;
        }
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, 100, 2000)));
      }
    }
  }

  private async writeCursor(final: boolean): Promise<void> {
    if (this.committedUs === undefined || this.committedUs === this.stats.cursorUs) return;
    if (!final && Date.now() - this.lastWrite < this.options.cursorSaveMs) return;
    const at = this.committedUs;
    await this.cursors.write(this.options.source, at);
    this.lastWrite = Date.now();
    this.stats.cursorWrites++;
    this.stats.cursorUs = at;
  }
}
