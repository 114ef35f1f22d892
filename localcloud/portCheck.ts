import { createServer } from "node:net";
import type { PortSetting } from "./LocalCloudConfig.ts";

export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
  constructor(readonly setting: PortSetting, host: string) {
    super(`port ${setting.port} (${setting.name}) on ${host} is already in use: stop what holds it, or set ${setting.env} to another port`);
  }
}

function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Fails before anything starts, naming the first busy port and its variable. */
export async function assertPortsFree(host: string, settings: readonly PortSetting[]): Promise<void> {
  for (const setting of settings) {
    if (!(await isFree(host, setting.port))) throw new PortInUseError(setting, host);
  }
}

/**
 * Like assertPortsFree, but gives ports that are busy up to `timeoutMs` to be
 * released (a run killed a moment ago whose processes are still exiting).
 */
export async function waitForPortsFree(host: string, settings: readonly PortSetting[], timeoutMs: number, onWait: (setting: PortSetting) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const setting of settings) {
    let told = false;
    while (!(await isFree(host, setting.port))) {
      if (Date.now() >= deadline) throw new PortInUseError(setting, host);
      if (!told) onWait(setting);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
