// What the two simulator CLIs (market-sim, social-sim) share: a usage error, a clean
// stop on Ctrl-C, and one line (exit 2 for usage, 1 otherwise) for whatever failed.
export class UsageError extends Error {}

/** Stops the printing timer and the simulator on SIGINT / SIGTERM, then exits 0. */
export function stopOnSignal(sim: { close(): Promise<void> }, timer: NodeJS.Timeout | undefined): void {
  const stop = async () => {
    if (timer) clearInterval(timer);
    await sim.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Runs `main`; a failure is one line naming the CLI, with the usage for a usage error and the setting for a busy port. */
export function runSimulatorCli(name: string, usage: string, portSetting: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const code = String((error as { code?: unknown }).code ?? "");
    if (error instanceof UsageError || code.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${name}: ${(error as Error).message}\n\n${usage}`);
      process.exit(2);
    }
    if (code === "EADDRINUSE") console.error(`${name}: port ${(error as { port?: number }).port ?? ""} is busy: pass --port or set ${portSetting}`);
    else console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  });
}
