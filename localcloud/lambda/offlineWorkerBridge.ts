// serverless-offline 13 runs each Node.js handler in a worker thread it creates per
// concurrent invocation and terminates when idle or after a rebuild. A worker that
// loaded a native addon holding threadsafe functions (aws-crt's MQTT client) aborts
// the whole process when it is terminated, and every concurrent request loads the
// bundle (and its models) once more in a new worker. This bridge keeps
// serverless-offline's HTTP API, Lambda Invoke API and schedules, and replaces only
// the worker: the `Worker` that serverless-offline's WorkerThreadRunner constructs
// hands each invocation to the LocalLambdaRuntime, which runs it in a container
// process (one invocation at a time, warm between invocations, bounded per
// function, retired with SIGTERM so handlers close what they hold).
import { EventEmitter } from "node:events";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { join } from "node:path";
import type { MessagePort } from "node:worker_threads";
import type { FunctionSpec } from "./LambdaContainer.ts";
import type { LocalLambdaRuntime } from "./LocalLambdaRuntime.ts";

/** What serverless-offline's WorkerThreadRunner passes to `new Worker(helper, { env, workerData })`. */
interface OfflineWorkerData {
  codeDir: string;
  functionKey: string;
  handler: string;
  servicePath: string;
  timeout: number;
}

/** What it posts for each invocation; the answer (a value or an Error) goes back on `port`. */
interface OfflineInvocation {
  context: Record<string, unknown>;
  event: unknown;
  port: MessagePort;
}

const HELPER = /[\\/]worker-thread-runner[\\/]workerThreadHelper\.js$/;

const require = createRequire(import.meta.url);

/** serverless-offline's copy of aws-lambda-ric's loader, which the containers load handlers with. */
export function lambdaRicPath(): string {
  const entry = require.resolve("serverless-offline"); // …/serverless-offline/src/index.cjs
  return join(entry, "..", "lambda", "handler-runner", "in-process-runner", "aws-lambda-ric", "UserFunction.js");
}

export interface BridgeOptions {
  runtime: LocalLambdaRuntime;
  /** The function's memory size (MB) from serverless.yml; serverless-offline does not hand it to the worker. */
  memorySizeMb(functionKey: string): number;
}

/**
 * Replaces `worker_threads.Worker` for serverless-offline's workers (any other
 * Worker is constructed as before). Returns a function that restores the original.
 */
export function bridgeOfflineWorkers(options: BridgeOptions): () => void {
  const workerThreads = require("node:worker_threads") as typeof import("node:worker_threads");
  const RealWorker = workerThreads.Worker;

  class ContainerBackedWorker extends EventEmitter {
    readonly #spec: FunctionSpec;
    constructor(filename: string | URL, workerOptions: { env?: Record<string, string>; workerData?: OfflineWorkerData }) {
      super();
      const data = workerOptions.workerData!;
      this.#spec = {
        key: data.functionKey,
        name: String(workerOptions.env?.AWS_LAMBDA_FUNCTION_NAME ?? data.functionKey),
        handler: data.handler,
        codeDir: data.codeDir,
        cwd: process.cwd(),
        // The function's environment only, as in Lambda, plus the local stack's data
        // directory: it tells whose container a process is (`npm start` checks leftovers by it).
        env: { ...(workerOptions.env ?? {}), ...(process.env.CRYPTOVIZ_DATA_DIR ? { CRYPTOVIZ_DATA_DIR: process.env.CRYPTOVIZ_DATA_DIR } : {}) },
        timeoutMs: data.timeout,
        memorySizeMb: options.memorySizeMb(data.functionKey),
      };
    }

    postMessage({ context, event, port }: OfflineInvocation): void {
      // One channel per invocation: closed once it has carried the answer (a message
      // posted before close() is still delivered), or each one stays alive, ~7 KB apiece.
      const answer = (message: unknown) => {
        port.postMessage(message);
        port.close();
      };
      options.runtime.invoke(this.#spec, event, context).then(answer, answer);
    }

    // serverless-offline terminates a worker when it is idle, timed out or rebuilt; the
    // runtime decides about containers itself (idle reaper, timeouts, recycle on rebuild).
    terminate(): Promise<number> {
      return Promise.resolve(0);
    }
  }

  function Worker(this: unknown, filename: string | URL, workerOptions?: ConstructorParameters<typeof RealWorker>[1]) {
    const path = filename instanceof URL ? filename.pathname : String(filename);
    if (HELPER.test(path) && workerOptions?.workerData) {
      return new ContainerBackedWorker(filename, workerOptions as { env?: Record<string, string>; workerData?: OfflineWorkerData });
    }
    return new RealWorker(filename, workerOptions);
  }
  Worker.prototype = RealWorker.prototype;

  workerThreads.Worker = Worker as unknown as typeof RealWorker;
  syncBuiltinESMExports();
  return () => {
    workerThreads.Worker = RealWorker;
    syncBuiltinESMExports();
  };
}
