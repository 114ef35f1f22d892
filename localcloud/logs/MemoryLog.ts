import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One minute of the launcher's memory, in MB. */
export interface MemorySample {
  at: string;
  rss: number;
  /** The launcher's main-thread V8 heap in use. */
  heap: number;
  /** Memory V8 objects hold outside the heap (Buffers among it). */
  external: number;
  arrayBuffers: number;
  /** Each part thread's own V8 heap in use: the search engine, the queues, the simulator. */
  threads: Record<string, number>;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/**
 * Writes the launcher's memory to `<data dir>/logs/memory.jsonl` once a minute:
 * the RSS split into the main heap, each thread's heap and what V8 holds
 * outside them, so a process that grows says which part grows (README, "Memory").
 */
export class MemoryLog {
  readonly path: string;
  readonly #timer: NodeJS.Timeout;

  constructor(dir: string, threadHeaps: () => Promise<Record<string, number>>, everyMs = 60_000) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, "memory.jsonl");
    writeFileSync(this.path, ""); // one run per file: a sample's minute counts from this start
    this.#timer = setInterval(() => {
      void threadHeaps()
        .catch(() => ({}) as Record<string, number>)
        .then((threads) => {
          const m = process.memoryUsage();
          const sample: MemorySample = {
            at: new Date().toISOString(),
            rss: mb(m.rss),
            heap: mb(m.heapUsed),
            external: mb(m.external),
            arrayBuffers: mb(m.arrayBuffers),
            threads: Object.fromEntries(Object.entries(threads).map(([name, bytes]) => [name, mb(bytes)])),
          };
          appendFileSync(this.path, `${JSON.stringify(sample)}\n`);
        });
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
