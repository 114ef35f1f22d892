import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance, type EventLoopUtilization } from "node:perf_hooks";
import type { ThreadMemory } from "../threads/startInThread.ts";

/** One minute of the launcher's memory, in MB. */
export interface MemorySample {
  at: string;
  rss: number;
  /** The main thread's V8 heap (committed) and what its objects hold outside it (Buffers, ArrayBuffers). */
  heap: number;
  external: number;
  /** Percent of the time since the previous sample the main thread's event loop was busy. */
  busy?: number;
  /** The same for each part thread: the search engine, the queues, the simulator. */
  threads: Record<string, { heap: number; external: number; busy?: number }>;
  /** What is left: native memory no V8 isolate accounts for (malloc arenas, thread stacks, code, libraries). */
  native: number;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const percent = (share: number | undefined) => (share === undefined ? {} : { busy: Math.round(share * 100) });

/** Splits the process's RSS among its isolates; `native` is the rest. */
export function memorySample(threads: Record<string, ThreadMemory>, usage: NodeJS.MemoryUsage = process.memoryUsage(), mainBusy?: number): MemorySample {
  const inThreads = Object.values(threads).reduce((sum, t) => sum + t.heap + t.external, 0);
  return {
    at: new Date().toISOString(),
    rss: mb(usage.rss),
    heap: mb(usage.heapTotal),
    external: mb(usage.external),
    ...percent(mainBusy),
    threads: Object.fromEntries(Object.entries(threads).map(([name, t]) => [name, { heap: mb(t.heap), external: mb(t.external), ...percent(t.busy) }])),
    native: mb(usage.rss - usage.heapTotal - usage.external - inThreads),
  };
}

/**
 * Writes the launcher's memory to `<data dir>/logs/memory.jsonl` once a minute,
 * split by isolate (memorySample), so a launcher that grows says which part grows;
 * with how busy each thread's event loop was, so a launcher that stalls says which part is saturated.
 */
export class MemoryLog {
  readonly path: string;
  readonly #timer: NodeJS.Timeout;

  constructor(dir: string, threadMemory: () => Promise<Record<string, ThreadMemory>>, everyMs = 60_000) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, "memory.jsonl");
    writeFileSync(this.path, ""); // one run per file
    let since: EventLoopUtilization = performance.eventLoopUtilization();
    this.#timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      const mainBusy = performance.eventLoopUtilization(now, since).utilization;
      since = now;
      void threadMemory()
        .catch(() => ({}))
        .then((threads) => appendFileSync(this.path, `${JSON.stringify(memorySample(threads, process.memoryUsage(), mainBusy))}\n`));
    }, everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
