// Lambda retires an execution environment with SIGTERM (with extensions
// registered; locally, always) and a short grace period. Resources that hold native
// connections (aws-crt's MQTT client) register a hook here and are closed then,
// before the process exits, instead of being torn down mid-flight.

type Hook = () => Promise<void> | void;

const hooks = new Set<Hook>();
let installed = false;
/** Lambda's shutdown phase lasts 500 ms to 2 s; a hook that takes longer is abandoned. */
const HOOK_BUDGET_MS = 2000;

export function onContainerShutdown(hook: Hook): () => void {
  hooks.add(hook);
  if (!installed) {
    installed = true;
    process.once("SIGTERM", () => void runHooksAndExit());
  }
  return () => hooks.delete(hook);
}

async function runHooksAndExit(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.allSettled([...hooks].map(async (hook) => hook())),
    new Promise((resolve) => (timer = setTimeout(resolve, HOOK_BUDGET_MS))),
  ]);
  clearTimeout(timer);
  process.exit(0);
}
