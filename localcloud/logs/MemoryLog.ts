import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ThreadMemory } from "../threads/startInThread.ts";

/** One minute of the launcher's memory, in MB. */
export interface MemorySample {
  at: string;
  rss: number;
  /** The main thread's V8 heap (committed) and what its objects hold outside it (Buffers, ArrayBuffers). */
  heap: number;
  external: number;
  /** The same for each part thread: the search engine, the queues, the simulator. */
  threads: Record<string, { heap: number; external: number }>;
  /** What is left: native memory no V8 isolate accounts for (malloc arenas, thread stacks, code, libraries). */
  native: number;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/** Splits the process's RSS among its isolates; `native` is the rest. */
export function memorySample(threads: Record<string, ThreadMemory>, usage: NodeJS.MemoryUsage = process.memoryUsage()): MemorySample {
  const inThreads = Object.values(threads).reduce((sum, t) => sum + t.heap + t.external, 0);
  return {
    at: new Date().toISOString(),
    rss: mb(usage.rss),
    heap: mb(usage.heapTotal),
    external: mb(usage.external),
    threads: Object.fromEntries(Object.entries(threads).map(([name, t]) => [name, { heap: mb(t.heap), external: mb(t.external) }])),
    native: mb(usage.rss - usage.heapTotal - usage.external - inThreads),
  };
}

/**
 * Writes the launcher's memory to `<data dir>/logs/memory.jsonl` once a minute,
 * split by isolate (memorySample), so a launcher that grows says which part grows.
 */
export class MemoryLog {
  readonly path: string;
  readonly #timer: NodeJS.Timeout;

  constructor(dir: string, threadMemory: () => Promise<Record<string, ThreadMemory>>, everyMs = 60_000) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, "memory.jsonl");
    writeFileSync(this.path, ""); // one run per file
    this.#timer = setInterval(() => {
      void threadMemory()
        .catch(() => ({}))
        .then((threads) => appendFileSync(this.path, `${JSON.stringify(memorySample(threads))}\n`));
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
