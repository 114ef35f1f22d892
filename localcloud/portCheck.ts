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
