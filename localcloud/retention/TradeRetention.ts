// The local cloud's stand-in for the ISM policy that drops old trade indices on
// the AWS domain (docs/store.md, Retention). The local search endpoint keeps every
// document in memory, so without it a demo left running grows by about 0.9 KB per
// trade for as long as it runs. Every minute it deletes trades, per-second
// partial candles and social posts older than the retention, drops whole daily indices past it, and
// has the endpoint drop the deleted revisions once they are a fifth of the index.
import { Client } from "@opensearch-project/opensearch";

export interface TradeRetentionOptions {
  searchUrl: string;
  /** Index name prefix (SEARCH_INDEX_PREFIX), default `cryptoviz-`. */
  prefix?: string;
  retentionHours: number;
  intervalMs?: number;
  now?: () => number;
  onError?: (error: Error) => void;
}

export interface RetentionPass {
  deletedDocuments: number;
  droppedIndices: string[];
  compacted: string[];
}

/** Daily indices and the time field retention reads in them. */
const KINDS = [
  { pattern: "trades-", field: "time" },
  { pattern: "candles-1s-", field: "bucketStart" },
  // consume-social refuses posts past the same retention locally (socialRetentionHours in serverless.yml).
  { pattern: "social-posts-", field: "createdAt" },
] as const;

const DAY_MS = 86_400_000;
/** Deleted revisions are dropped once they are this share of the live documents. */
const COMPACT_RATIO = 0.2;

function dayOf(index: string): number | undefined {
  const m = /(\d{4})\.(\d{2})\.(\d{2})$/.exec(index);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : undefined;
}

export class TradeRetention {
  readonly #client: Client;
  readonly #options: Required<Omit<TradeRetentionOptions, "onError">> & Pick<TradeRetentionOptions, "onError">;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();

  constructor(options: TradeRetentionOptions) {
    this.#options = { prefix: "cryptoviz-", intervalMs: 60_000, now: Date.now, ...options };
    this.#client = new Client({ node: options.searchUrl, requestTimeout: 120_000 });
  }

  start(): void {
    this.#timer ??= setInterval(() => {
      this.#running = this.pass().catch((error: Error) => this.#options.onError?.(error));
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  /** One retention pass (also what the timer runs). */
  async pass(): Promise<RetentionPass> {
    const { prefix, retentionHours, now } = this.#options;
    const cutoff = now() - retentionHours * 3_600_000;
    const result: RetentionPass = { deletedDocuments: 0, droppedIndices: [], compacted: [] };
    const { body } = await this.#client.cat.indices({ format: "json", index: `${prefix}*` });
    const indices = body as unknown as Array<{ index: string; "docs.count": string; "docs.deleted": string }>;
    for (const kind of KINDS) {
      for (const entry of indices.filter((i) => i.index.startsWith(prefix + kind.pattern))) {
        const day = dayOf(entry.index);
        if (day !== undefined && day + DAY_MS <= cutoff) {
          await this.#client.indices.delete({ index: entry.index });
          result.droppedIndices.push(entry.index);
          continue;
        }
        const { body: deleted } = await this.#client.deleteByQuery({
          index: entry.index,
          conflicts: "proceed",
          refresh: true,
          body: { query: { range: { [kind.field]: { lt: cutoff } } } },
        });
        result.deletedDocuments += Number((deleted as { deleted?: number }).deleted ?? 0);
      }
    }
    // Deleted revisions stay in memory until merged away; merge once they are a fair share.
    const { body: after } = await this.#client.cat.indices({ format: "json", index: `${prefix}*` });
    for (const entry of after as unknown as Array<{ index: string; "docs.count": string; "docs.deleted": string }>) {
      const live = Number(entry["docs.count"]);
      const dead = Number(entry["docs.deleted"]);
      if (KINDS.some((k) => entry.index.startsWith(prefix + k.pattern)) && dead > 0 && dead >= COMPACT_RATIO * live) {
        await this.#client.indices.forcemerge({ index: entry.index, only_expunge_deletes: true });
        result.compacted.push(entry.index);
      }
    }
    return result;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running.catch(() => undefined);
    await this.#client.close();
  }
}
