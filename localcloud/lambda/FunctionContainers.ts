import { LambdaContainer, type ContainerLogSink, type FunctionSpec } from "./LambdaContainer.ts";

export interface FunctionContainersOptions {
  /** At most this many containers (= concurrent invocations) for the function; more wait their turn. */
  maxContainers: number;
  /** A container idle this long is retired. */
  idleMs: number;
  /** Time a retired container gets to close what it holds after SIGTERM. */
  shutdownGraceMs: number;
  ricPath: string;
  log: ContainerLogSink;
}

export interface FunctionContainersStats {
  function: string;
  containers: Array<{ id: string; pid: number | undefined; rss: number; busy: boolean; invocations: number }>;
  waiting: number;
  invocations: number;
  coldStarts: number;
}

/**
 * The execution environments of one function: warm containers reused across
 * invocations, at most `maxContainers` at once (a burst waits instead of growing
 * memory), idle ones retired, all of them replaced after a rebuild.
 */
export class FunctionContainers {
  readonly #options: FunctionContainersOptions;
  #spec: FunctionSpec;
  #generation = 0;
  readonly #containers = new Set<LambdaContainer>();
  readonly #waiting: Array<(container: LambdaContainer) => void> = [];
  readonly #retiring = new Set<Promise<void>>();
  #invocations = 0;
  #coldStarts = 0;
  #closed = false;

  constructor(spec: FunctionSpec, options: FunctionContainersOptions) {
    this.#spec = spec;
    this.#options = options;
  }

  async invoke(event: unknown, context: Record<string, unknown>): Promise<unknown> {
    if (this.#closed) throw new Error(`${this.#spec.key}: the local runtime is shutting down`);
    const container = await this.#acquire();
    this.#invocations++;
    try {
      return await container.invoke(event, context);
    } finally {
      this.#release(container);
    }
  }

  /** New code (a rebuild): idle containers go now, busy ones when their invocation ends. */
  recycle(spec: FunctionSpec = this.#spec): void {
    this.#spec = spec;
    this.#generation++;
    for (const container of this.#containers) if (!container.busy) this.#retire(container);
  }

  /** Retires containers idle for longer than `idleMs`. */
  reapIdle(now = Date.now()): void {
    for (const container of this.#containers) {
      if (!container.busy && now - container.lastUsed >= this.#options.idleMs) this.#retire(container);
    }
  }

  async shutdown(): Promise<void> {
    this.#closed = true;
    for (const container of this.#containers) this.#retire(container);
    await Promise.all(this.#retiring);
  }

  stats(): FunctionContainersStats {
    return {
      function: this.#spec.key,
      containers: [...this.#containers].map((c) => ({ id: c.id, pid: c.pid, rss: c.rss, busy: c.busy, invocations: c.invocations })),
      waiting: this.#waiting.length,
      invocations: this.#invocations,
      coldStarts: this.#coldStarts,
    };
  }

  #acquire(): Promise<LambdaContainer> {
    for (const container of this.#containers) {
      if (!container.busy && !container.dead && !container.retiring && container.generation === this.#generation) return Promise.resolve(this.#claim(container));
    }
    if (this.#containers.size < this.#options.maxContainers) return Promise.resolve(this.#claim(this.#start()));
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #claim(container: LambdaContainer): LambdaContainer {
    container.busy = true;
    return container;
  }

  #start(): LambdaContainer {
    this.#coldStarts++;
    const container = new LambdaContainer(this.#spec, this.#options.ricPath, this.#options.log, this.#generation);
    this.#containers.add(container);
    void container.exited().then(() => {
      this.#containers.delete(container);
      this.#serveWaiting();
    });
    return container;
  }

  #release(container: LambdaContainer): void {
    container.busy = false;
    container.lastUsed = Date.now();
    if (container.dead) return; // its exit handler frees the slot
    if (this.#closed || container.generation !== this.#generation) {
      this.#retire(container);
      return;
    }
    const next = this.#waiting.shift();
    if (next) next(this.#claim(container));
  }

  /** A slot freed by an exit: the next waiter gets a fresh container. */
  #serveWaiting(): void {
    if (this.#closed) return;
    while (this.#waiting.length > 0 && this.#containers.size < this.#options.maxContainers) {
      this.#waiting.shift()!(this.#claim(this.#start()));
    }
  }

  #retire(container: LambdaContainer): void {
    if (container.retiring) return;
    container.retiring = true;
    const done = container.shutdown(this.#options.shutdownGraceMs);
    this.#retiring.add(done);
    void done.finally(() => this.#retiring.delete(done));
  }
}
