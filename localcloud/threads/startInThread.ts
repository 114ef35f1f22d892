// A local-cloud part in a thread of its own. The launcher's one event loop served
// the search endpoint, the queues, the broker and the market simulator; at tens of
// thousands of trades a second they queued behind each other and the consumers
// waited for the search endpoint (bench/runtime-latency.bench.ts). A thread gets
// its own loop (and core), and still ends with the launcher, even on `kill -9`.
import { Worker } from "node:worker_threads";

export interface ThreadMemory {
  heap: number;
  external: number;
  /** Share of the time since the previous sample its event loop was busy (0–1): which part saturates. */
  busy?: number;
}

export interface ThreadPart<R> {
  /** What the part's start reported (its URL, port …). */
  ready: R;
  /** The thread's own memory, bytes: its V8 heap (committed) and what its objects hold outside it (ArrayBuffers …); neither is in the launcher's `process.memoryUsage()`. */
  memory(): Promise<ThreadMemory>;
  close(): Promise<void>;
}

/**
 * Runs `entry` (a module that answers the protocol of partThread.ts) in a worker
 * thread, with `options` as its workerData; resolves once it reports ready.
 */
export function startInThread<R>(entry: string, options: unknown): Promise<ThreadPart<R>> {
  // The launcher runs under tsx: the thread registers the same loader before importing the part.
  const worker = new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: options });
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once("error", onError);
    worker.on("message", (m: { type: string; ready?: R; error?: string }) => {
      if (m.type === "failed") {
        void worker.terminate();
        return reject(Object.assign(new Error(m.error), { code: (m as { code?: string }).code }));
      }
      if (m.type !== "ready") return;
      worker.off("error", onError);
      let since = worker.performance.eventLoopUtilization();
      const busy = () => {
        const now = worker.performance.eventLoopUtilization();
        const share = worker.performance.eventLoopUtilization(now, since).utilization;
        since = now;
        return share;
      };
      resolve({
        ready: m.ready as R,
        memory: () => worker.getHeapStatistics().then((h) => ({ heap: h.total_heap_size, external: (h as { external_memory?: number }).external_memory ?? 0, busy: busy() })),
        close: () =>
          new Promise<void>((done) => {
            const finish = () => void worker.terminate().then(() => done(), () => done());
            const timer = setTimeout(finish, 10_000);
            worker.on("message", (r: { type: string }) => {
              if (r.type !== "closed") return;
              clearTimeout(timer);
              finish();
            });
            worker.postMessage({ type: "close" });
          }),
      });
    });
  });
}
