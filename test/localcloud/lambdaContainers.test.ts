// The local Lambda runtime on its own: containers are processes that keep their
// module state between invocations, see only the function's environment, end when
// an invocation times out or crashes, are capped per function, retired when idle
// with SIGTERM (so handlers close what they hold), and the bridge answers
// serverless-offline's runner exactly as its worker threads did.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { MessageChannel, Worker } from "node:worker_threads";
import type { FunctionSpec } from "../../localcloud/lambda/LambdaContainer.ts";
import { LocalLambdaRuntime } from "../../localcloud/lambda/LocalLambdaRuntime.ts";
import { bridgeOfflineWorkers, lambdaRicPath } from "../../localcloud/lambda/offlineWorkerBridge.ts";
import { waitFor } from "../helpers/waitFor.ts";
import { isAlive } from "../helpers/isAlive.ts";

const CODE_DIR = "test/localcloud/fixtures/functions";
const dir = mkdtempSync(join(tmpdir(), "lambda-containers-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const spec = (key: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec => ({
  key,
  name: `cryptoviz-test-${key}`,
  handler: "echo.handler",
  codeDir: CODE_DIR,
  cwd: process.cwd(),
  env: { FUNCTION_ONLY: key },
  timeoutMs: 5000,
  memorySizeMb: 128,
  ...overrides,
});

function runtime(options: { maxContainers?: number; idleMs?: number } = {}): LocalLambdaRuntime {
  return new LocalLambdaRuntime({
    ricPath: lambdaRicPath(),
    maxContainers: () => options.maxContainers ?? 2,
    idleMs: options.idleMs ?? 60_000,
    shutdownGraceMs: 2000,
    log: () => {},
  });
}

type Echo = { pid: number; invocations: number; remainingMs: number; requestId: string; env: { FUNCTION_ONLY?: string; HOME: string | null } };

describe("local Lambda containers", () => {
  it("keep a warm container's module state, and give it only the function's environment and the time left", async () => {
    const rt = runtime();
    try {
      const first = (await rt.invoke(spec("warm"), {}, { awsRequestId: "r1" })) as Echo;
      const second = (await rt.invoke(spec("warm"), {}, { awsRequestId: "r2" })) as Echo;
      assert.equal(second.pid, first.pid, "the same container served both");
      assert.deepEqual([first.invocations, second.invocations], [1, 2]);
      assert.equal(second.requestId, "r2");
      assert.deepEqual(second.env, { FUNCTION_ONLY: "warm", HOME: null }, "nothing of the parent's environment leaks in");
      assert.ok(second.remainingMs > 4000 && second.remainingMs <= 5000, String(second.remainingMs));
    } finally {
      await rt.shutdown();
    }
  });

  it("let an init run past Lambda's 10 s phase up to the function's timeout, as Lambda's retried init does", async () => {
    const rt = runtime();
    try {
      const slow = spec("slow-init", { handler: "slowInit.handler", env: { INIT_MS: "10500" }, timeoutMs: 14_000 });
      const answer = (await rt.invoke(slow, {}, { awsRequestId: "r1" })) as { initMs: number };
      assert.ok(answer.initMs >= 10_500, String(answer.initMs));
    } finally {
      await rt.shutdown();
    }
  });

  it("answer a thrown error with the handler's own error, and keep the container", async () => {
    const rt = runtime();
    try {
      const before = (await rt.invoke(spec("throws"), {}, {})) as Echo;
      await assert.rejects(rt.invoke(spec("throws"), { throw: "bad input" }, {}), (e: Error) => e.name === "TypeError" && e.message === "bad input");
      const afterwards = (await rt.invoke(spec("throws"), {}, {})) as Echo;
      assert.equal(afterwards.pid, before.pid);
    } finally {
      await rt.shutdown();
    }
  });

  it("end a container whose invocation times out or whose process exits, and start a fresh one next", async () => {
    const rt = runtime();
    try {
      const first = (await rt.invoke(spec("slow", { timeoutMs: 300 }), {}, {})) as Echo;
      await assert.rejects(rt.invoke(spec("slow", { timeoutMs: 300 }), { sleepMs: 2000 }, {}), /Task timed out after 0\.30 seconds/);
      const next = (await rt.invoke(spec("slow", { timeoutMs: 300 }), {}, {})) as Echo;
      assert.notEqual(next.pid, first.pid, "a timed-out container serves no further invocation");
      await assert.rejects(rt.invoke(spec("slow", { timeoutMs: 300 }), { exit: 3 }, {}), /Runtime exited with error: exit status 3/);
      const third = (await rt.invoke(spec("slow", { timeoutMs: 300 }), {}, {})) as Echo;
      assert.equal(third.invocations, 1, "a new container after the crash");
    } finally {
      await rt.shutdown();
    }
  });

  it("cap the heap at the function's memory size, as Lambda ends a function that outgrows it", async () => {
    const rt = runtime();
    try {
      await assert.rejects(rt.invoke(spec("greedy", { memorySizeMb: 64 }), { allocateMb: 400 }, {}), /Runtime exited/);
    } finally {
      await rt.shutdown();
    }
  });

  it("run at most maxContainers invocations of a function at once; the rest wait their turn", async () => {
    const rt = runtime({ maxContainers: 2 });
    try {
      const started = Date.now();
      const answers = (await Promise.all(Array.from({ length: 6 }, () => rt.invoke(spec("capped"), { sleepMs: 300 }, {})))) as Echo[];
      assert.equal(new Set(answers.map((a) => a.pid)).size, 2, "two containers served six invocations");
      assert.ok(Date.now() - started >= 850, "three rounds of 300 ms");
      assert.equal(rt.stats().find((s) => s.function === "capped")!.coldStarts, 2);
    } finally {
      await rt.shutdown();
    }
  });

  it("retire an idle container with SIGTERM, letting its handler close what it holds first", async () => {
    const marker = join(dir, "shutdown.log");
    const rt = runtime({ idleMs: 500 });
    try {
      const { pid } = (await rt.invoke(spec("idle", { handler: "shutdown.handler", env: { SHUTDOWN_MARKER: marker } }), {}, {})) as { pid: number };
      await waitFor("the idle container to be retired", () => existsSync(marker), 15_000, 100);
      assert.equal(readFileSync(marker, "utf8"), `closed ${pid}\n`);
      await waitFor("its process to exit", () => !isAlive(pid), 5000, 50);
    } finally {
      await rt.shutdown();
    }
  });

  it("deliver the result of an invocation a retirement cut short before the container exits", async () => {
    const marker = join(dir, "cut-started");
    const rt = runtime();
    try {
      const result = rt.invoke(spec("cut", { handler: "cutShort.handler", timeoutMs: 60_000, env: { STARTED_MARKER: marker } }), {}, {});
      await waitFor("the invocation to start", () => existsSync(marker), 15_000, 50);
      const stopping = rt.shutdown();
      // Before, the hook's exit came first and the invoker got "Runtime exited with error: exit status 0".
      assert.equal(((await result) as { cut: boolean }).cut, true, "the work's own answer, not an exit error");
      await stopping;
    } finally {
      await rt.shutdown();
    }
  });

  it("stand in for serverless-offline's worker: answer on the port it passes, then close the channel", async () => {
    const rt = runtime();
    const restore = bridgeOfflineWorkers({ runtime: rt, memorySizeMb: () => 128 });
    try {
      const helper = join(dirname(lambdaRicPath()), "..", "..", "worker-thread-runner", "workerThreadHelper.js");
      const worker = new Worker(helper, { env: { FUNCTION_ONLY: "bridged" }, workerData: { codeDir: CODE_DIR, functionKey: "bridged", handler: "echo.handler", servicePath: CODE_DIR, timeout: 5000 } });
      const { port1, port2 } = new MessageChannel();
      const closed = new Promise<void>((resolve) => port1.once("close", () => resolve()));
      const answer = new Promise<Echo>((resolve) => port1.once("message", resolve));
      worker.postMessage({ context: { awsRequestId: "via-offline" }, event: {}, port: port2 }, [port2]);
      const echoed = await answer;
      assert.equal(echoed.requestId, "via-offline");
      assert.equal(echoed.env.FUNCTION_ONLY, "bridged");
      assert.notEqual(echoed.pid, process.pid, "ran in a container process, not a thread of this one");
      await closed;
      assert.equal(await worker.terminate(), 0);
    } finally {
      restore();
      await rt.shutdown();
    }
  });
});
