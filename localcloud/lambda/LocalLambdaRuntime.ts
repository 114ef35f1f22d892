import { FunctionContainers, type FunctionContainersStats } from "./FunctionContainers.ts";
import type { ContainerLogSink, FunctionSpec } from "./LambdaContainer.ts";

export interface LocalLambdaRuntimeOptions {
  /** aws-lambda-ric's UserFunction.js: the loader the containers use. */
  ricPath: string;
  /** Most containers a function may have at once (its local concurrency). */
  maxContainers(functionKey: string): number;
  idleMs: number;
  shutdownGraceMs: number;
  log: ContainerLogSink;
}

/**
 * The local stand-in for Lambda's execution environments: one FunctionContainers
 * per function, created on its first invocation, an idle reaper, and a shutdown
 * that retires every container (SIGTERM, then SIGKILL after the grace period).
 */
export class LocalLambdaRuntime {
  readonly #options: LocalLambdaRuntimeOptions;
  readonly #functions = new Map<string, FunctionContainers>();
  readonly #reaper: NodeJS.Timeout;

  constructor(options: LocalLambdaRuntimeOptions) {
    this.#options = options;
    this.#reaper = setInterval(() => {
      for (const f of this.#functions.values()) f.reapIdle();
    }, Math.min(options.idleMs, 10_000));
    this.#reaper.unref();
  }

  invoke(spec: FunctionSpec, event: unknown, context: Record<string, unknown>): Promise<unknown> {
    let containers = this.#functions.get(spec.key);
    if (!containers) {
      containers = new FunctionContainers(spec, {
        maxContainers: this.#options.maxContainers(spec.key),
        idleMs: this.#options.idleMs,
        shutdownGraceMs: this.#options.shutdownGraceMs,
        ricPath: this.#options.ricPath,
        log: this.#options.log,
      });
      this.#functions.set(spec.key, containers);
    }
    return containers.invoke(event, context);
  }

  /** After a rebuild: every function's containers are replaced (the busy ones once they finish). */
  recycle(): void {
    for (const f of this.#functions.values()) f.recycle();
  }

  stats(): FunctionContainersStats[] {
    return [...this.#functions.values()].map((f) => f.stats());
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#reaper);
    await Promise.all([...this.#functions.values()].map((f) => f.shutdown()));
  }
}
