import type { Archive } from "../../archive/Archive.ts";
import { toJsonLines } from "../../archive/rawArchiveKey.ts";
import type { Envelope } from "../../../contracts/envelope.ts";
import type { MessageProducer } from "../../queue/MessageProducer.ts";
import { marketBatchId, marketEnvelopes } from "./marketEnvelopes.ts";
import { backoffDelay } from "../../async/backoffDelay.ts";
import type { RawBatch } from "./RawBatch.ts";

export interface ShipperStats {
  batches: number;
  archived: number;
  envelopes: number;
  tradesEnqueued: number;
  quotesEnqueued: number;
  ticksArchived: number;
  failedBatches: number;
  /** Most batches waiting at once: how far shipping fell behind collecting. */
  maxPending: number;
}

export interface ShipperOptions {
  /** Groups (archive puts + one enqueue) in flight at once. */
  concurrency: number;
  /** Batches per group: 10 fills one SendMessageBatch when each batch is one message. */
  groupSize?: number;
  attempts?: number;
  correlationId: string;
  onError?: (error: unknown, batchIds: string[]) => void;
}

interface Planned {
  batch: RawBatch;
  batchId: string;
  /** The records as archived; serialised once, for the batch id and the archive. */
  jsonLines: string;
  envelopes: Envelope[];
}

/**
 * Ships flushed batches: each is archived to S3 first (its key derives from
 * the batch id, so a retry overwrites the same object) and then enqueued, so
 * everything on the queue can be replayed from the archive. Groups of batches
 * share SendMessageBatch calls; a bounded number of groups run at once.
 */
export class BatchShipper {
  readonly stats: ShipperStats = { batches: 0, archived: 0, envelopes: 0, tradesEnqueued: 0, quotesEnqueued: 0, ticksArchived: 0, failedBatches: 0, maxPending: 0 };
  readonly failures: Array<{ batchIds: string[]; error: string }> = [];
  private readonly pending: Planned[] = [];
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly archive: Archive,
    private readonly producer: MessageProducer,
    private readonly queueUrl: () => Promise<string>,
    private readonly options: ShipperOptions,
  ) {}

  ship(batch: RawBatch): void {
    const jsonLines = toJsonLines([...batch.trades, ...batch.quotes, ...batch.ticks]);
    const batchId = marketBatchId(batch.exchange, batch.symbol, jsonLines);
    const envelopes = marketEnvelopes(batch.exchange, batchId, batch.trades, batch.quotes, batch.closedAt, this.options.correlationId);
    this.pending.push({ batch, batchId, jsonLines, envelopes });
    this.stats.batches++;
    if (this.pending.length > this.stats.maxPending) this.stats.maxPending = this.pending.length;
    this.pump();
  }

  /** Batches handed over and not yet taken up for shipping. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Resolves once every batch handed over so far has been shipped (or has failed for good). */
  drain(): Promise<void> {
    if (this.pending.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.pending.length > 0) {
      const group = this.pending.splice(0, this.options.groupSize ?? 10);
      this.inFlight++;
      void this.shipGroup(group).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.pending.length === 0 && this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  private async shipGroup(group: Planned[]): Promise<void> {
    const attempts = this.options.attempts ?? 4;
    // Archive writes that succeeded are not repeated when the enqueue is retried.
    const archived = new Set<string>();
    for (let attempt = 1; ; attempt++) {
      try {
        await Promise.all(
          group.filter((p) => !archived.has(p.batchId)).map(async (p) => {
            await this.archive.putJsonLines(p.batch.exchange, p.batchId, p.jsonLines, p.batch.closedAt);
            archived.add(p.batchId);
          }),
        );
        await this.producer.send(await this.queueUrl(), group.flatMap((p) => p.envelopes));
        break;
      } catch (error) {
        if (attempt >= attempts) {
          const ids = group.map((p) => p.batchId);
          this.stats.failedBatches += group.length;
          this.failures.push({ batchIds: ids, error: (error as Error).message });
          this.options.onError?.(error, ids);
          return;
        }
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, 100, 2000)));
      }
    }
    for (const p of group) {
      this.stats.archived++;
      this.stats.envelopes += p.envelopes.length;
      this.stats.tradesEnqueued += p.batch.trades.length;
      this.stats.quotesEnqueued += p.batch.quotes.length;
      this.stats.ticksArchived += p.batch.ticks.length;
    }
  }
}
