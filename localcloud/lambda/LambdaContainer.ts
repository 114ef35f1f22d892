import { fork, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { FunctionError, InitError, RuntimeExitError, TaskTimedOutError, type SerializedError } from "./errors.ts";

/** What one function's containers are made from. */
export interface FunctionSpec {
  /** serverless.yml's key, e.g. `consume-prices`. */
  key: string;
  /** Deployed name, e.g. `cryptoviz-local-consume-prices`. */
  name: string;
  /** `functions/api/handler.handler`, relative to `codeDir`. */
  handler: string;
  /** Where the bundles are (serverless-esbuild's build folder). */
  codeDir: string;
  /** Working directory of the container (the service's root, as serverless-offline's runners use). */
  cwd: string;
  /** The function's environment, as Lambda would give it. */
  env: Record<string, string>;
  timeoutMs: number;
  memorySizeMb: number;
}

/** One line a container wrote. */
export type ContainerLogSink = (functionKey: string, stream: "stdout" | "stderr", line: string) => void;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const BOOTSTRAP = fileURLToPath(new URL("./bootstrap.cjs", import.meta.url));
/** Lambda's init phase may take 10 s; a local cold start loads the same bundle. */
const INIT_PHASE_MS = 10_000;

/**
 * How long a container's init may run. Lambda gives the init phase 10 s and, when
 * that is not enough, retries it at the first invocation under the function's own
 * timeout; here the one init simply runs on until the later of the two. A loaded
 * machine (a 2-core laptop running the demo and a test suite) can need more than
 * 10 s to load a model, and failing then would send news to the DLQ that Lambda
 * would have processed.
 */
export function initDeadlineMs(functionTimeoutMs: number): number {
  return Math.max(INIT_PHASE_MS, functionTimeoutMs);
}

let sequence = 0;

/**
 * One execution environment of one function: a child process that loads the bundle
 * once and runs one invocation at a time, kept warm between invocations. A timed-out
 * or crashed invocation ends the container (Lambda resets the environment); a
 * retired one gets SIGTERM and `shutdownGraceMs` to close what it holds.
 */
export class LambdaContainer {
  readonly id: string;
  readonly spec: FunctionSpec;
  readonly generation: number;
  #child: ChildProcess;
  #ready: Promise<void>;
  #pending = new Map<number, Pending>();
  #nextId = 0;
  #exited: Promise<void>;
  #dead = false;
  #killed = false;
  #rss = 0;
  #invocations = 0;
  lastUsed = Date.now();
  busy = false;
  /** Sent SIGTERM: takes no new invocation. */
  retiring = false;

  constructor(spec: FunctionSpec, ricPath: string, log: ContainerLogSink, generation: number) {
    this.spec = spec;
    this.generation = generation;
    this.id = `${spec.key}#${++sequence}`;
    this.#child = fork(BOOTSTRAP, [ricPath, spec.codeDir, spec.handler], {
      cwd: spec.cwd,
      env: spec.env,
      // The JS heap may not outgrow the function's memory: a leak shows here as it would in AWS.
      execArgv: [`--max-old-space-size=${spec.memorySizeMb}`],
      serialization: "advanced",
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    for (const stream of ["stdout", "stderr"] as const) {
      createInterface({ input: this.#child[stream]!, crlfDelay: Infinity }).on("line", (line) => log(spec.key, stream, line));
    }
    this.#exited = new Promise((resolve) => this.#child.once("exit", () => resolve()));
    this.#ready = new Promise<void>((resolve, reject) => {
      const deadline = initDeadlineMs(spec.timeoutMs);
      const timer = setTimeout(() => {
        reject(new InitError(spec.key, { name: "InitTimeout", message: `init did not finish within ${deadline / 1000} s`, stack: "" }));
        this.kill();
      }, deadline);
      this.#child.on("message", (message: ContainerMessage) => {
        if (message.type === "ready") {
          clearTimeout(timer);
          this.#rss = message.rss;
          resolve();
        } else if (message.type === "init-error") {
          clearTimeout(timer);
          reject(new InitError(spec.key, message.error));
        } else if (message.type === "result") {
          this.#rss = message.rss;
          this.#settle(message);
        }
      });
      this.#child.once("exit", (code, signal) => {
        clearTimeout(timer);
        this.#dead = true;
        const error = new RuntimeExitError(spec.key, code, signal);
        reject(error);
        for (const [, pending] of this.#pending) {
          clearTimeout(pending.timer);
          pending.reject(error);
        }
        this.#pending.clear();
      });
    });
    this.#ready.catch(() => undefined);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Exited, or killed and about to: it takes no further invocation. */
  get dead(): boolean {
    return this.#dead || this.#killed;
  }

  /** Resident memory the container last reported (bytes). */
  get rss(): number {
    return this.#rss;
  }

  get invocations(): number {
    return this.#invocations;
  }

  /** Runs one invocation; rejects with FunctionError (the handler failed), TaskTimedOutError or RuntimeExitError. */
  async invoke(event: unknown, context: Record<string, unknown>): Promise<unknown> {
    await this.#ready;
    if (this.dead) throw new RuntimeExitError(this.spec.key, null, null);
    const id = this.#nextId++;
    this.#invocations++;
    const deadline = Date.now() + this.spec.timeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        // As in Lambda, the environment of a timed-out invocation does not serve another.
        this.kill();
        reject(new TaskTimedOutError(this.spec.key, this.spec.timeoutMs));
      }, this.spec.timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.#child.send({ type: "invoke", id, event, context, deadline });
    });
  }

  #settle(message: ResultMessage): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(new FunctionError(message.error));
  }

  /** Retires the container: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async shutdown(graceMs: number): Promise<void> {
    if (this.#dead) return;
    this.#child.kill("SIGTERM");
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  kill(): void {
    this.#killed = true;
    if (!this.#dead) this.#child.kill("SIGKILL");
  }

  exited(): Promise<void> {
    return this.#exited;
  }
}

type ResultMessage = { type: "result"; id: number; rss: number } & ({ ok: true; value: unknown } | { ok: false; error: SerializedError });
type ContainerMessage = { type: "ready"; initMs: number; rss: number } | { type: "init-error"; error: SerializedError } | ResultMessage;
