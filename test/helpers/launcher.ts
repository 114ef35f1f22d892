// `npm start` as a test (or a benchmark) runs it: the launcher itself, on free
// ports and a data directory of its own, with its output kept.
import { MALLOC_ENV } from "../../localcloud/mallocEnv.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { portIsFree } from "./freePorts.ts";
import type { LocalCloudEnv } from "./localCloudEnv.ts";
import { waitFor } from "./waitFor.ts";

export interface RunningLauncher {
  child: ChildProcess;
  pid: number;
  /** Everything it printed so far. */
  output(): string;
  exitCode(): number | null | undefined;
  /** The signal that ended it, if one did. */
  exitSignal(): NodeJS.Signals | null | undefined;
  /** Ctrl-C, then waits for the exit. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL, as a crash would end it. */
  kill(): Promise<void>;
}

export async function startLauncher(setup: LocalCloudEnv, args: string[] = ["start"], env: Record<string, string> = {}, readyTimeoutMs = 120_000): Promise<RunningLauncher> {
  let output = "";
  let exited: number | null | undefined;
  let signalled: NodeJS.Signals | null | undefined;
  const child = spawn(process.execPath, ["--import", "tsx", "localcloud/cli.ts", ...args], {
    env: { ...process.env, ...MALLOC_ENV, ...setup.env, CRYPTOVIZ_LOG_LEVEL: "INFO", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  const exit = new Promise<number | null>((resolve) =>
    child.on("exit", (code, signal) => {
      exited = signal ? null : code;
      signalled = signal;
      resolve(exited);
    }),
  );
  await waitFor("the launcher to be ready", () => /ready in/.test(output) || exited !== undefined, readyTimeoutMs, 100);
  if (exited !== undefined) throw new Error(`the launcher exited early (${exited}):\n${output}`);
  return {
    child,
    pid: child.pid!,
    output: () => output,
    exitCode: () => exited,
    exitSignal: () => signalled,
    async stop(timeoutMs = 30_000) {
      if (exited === undefined) child.kill("SIGINT");
      await waitFor("the launcher to exit", () => exited !== undefined, timeoutMs, 100);
      return exit;
    },
    async kill() {
      if (exited === undefined) child.kill("SIGKILL");
      await exit;
    },
  };
}

/** Processes of one run: every process the launcher starts carries its data directory in its environment. */
export function processesOf(dataDir: string): string[] {
  const marker = `CRYPTOVIZ_DATA_DIR=${dataDir}`;
  return readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker);
    } catch {
      return false;
    }
  });
}

export async function busyPorts(setup: LocalCloudEnv): Promise<string[]> {
  const busy: string[] = [];
  for (const [name, port] of Object.entries(setup.ports)) if (!(await portIsFree(port))) busy.push(`${name} ${port}`);
  return busy;
}
