// The thread side of startInThread: start the part, report ready (or why not), close on request.
import { parentPort } from "node:worker_threads";

export async function servePart<P extends { close(): Promise<void> }, R>(start: () => Promise<P>, ready: (part: P) => R): Promise<void> {
  const port = parentPort!;
  let part: P;
  try {
    part = await start();
  } catch (error) {
    port.postMessage({ type: "failed", error: (error as Error).message, code: (error as { code?: string }).code });
    return;
  }
  port.postMessage({ type: "ready", ready: ready(part) });
  port.on("message", (m: { type: string }) => {
    if (m.type === "close") void part.close().finally(() => port.postMessage({ type: "closed" }));
  });
}
