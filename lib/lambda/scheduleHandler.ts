// The schedule trigger (EventBridge rate/cron, or any direct invocation): one
// handler factory for every scheduled function. `run` gets the event and the
// invocation: the time left before the timeout, the request id, and a signal
// that aborts when the container is retired (with `abortOnShutdown`), so long
// work can ship what it has before the process exits.
import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Logger } from "@aws-lambda-powertools/logger";
import { onContainerShutdown } from "./containerShutdown.ts";
import { invocationOf, type Invocation } from "./Invocation.ts";

export interface ScheduledInvocation extends Invocation {
  /** Aborted when the container is retired mid-invocation (only with `abortOnShutdown`). */
  signal: AbortSignal;
}

export interface ScheduleHandlerOptions {
  logger: Logger;
  /** On SIGTERM, abort the running invocation and wait for it (within the shutdown budget) before the process exits. */
  abortOnShutdown?: boolean;
}

export function scheduleHandler<E, R>(run: (event: E, invocation: ScheduledInvocation) => Promise<R>, { logger, abortOnShutdown }: ScheduleHandlerOptions) {
  const running = new Set<{ abort: AbortController; done: Promise<unknown> }>();
  if (abortOnShutdown) {
    onContainerShutdown(async () => {
      for (const r of running) r.abort.abort();
      await Promise.all([...running].map((r) => r.done));
    });
  }
  return middy<E, R>()
    .use(injectLambdaContext(logger))
    .handler(async (event, context) => {
      const abort = new AbortController();
      const result = run(event, { ...invocationOf(context), signal: abort.signal });
      const entry = { abort, done: result.catch(() => undefined) };
      running.add(entry);
      try {
        return await result;
      } finally {
        running.delete(entry);
      }
    });
}
