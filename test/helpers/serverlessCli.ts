import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { promisify } from "node:util";

const run = promisify(execFile);
const serverlessBin = createRequire(import.meta.url).resolve("serverless/bin/serverless.js");

/** Runs the project's Serverless Framework CLI with no AWS credentials in reach. */
export async function serverless(args: string[], env: Record<string, string> = {}, timeoutMs = 240_000) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
  return run(process.execPath, [serverlessBin, ...args], {
    env: { ...clean, SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", ...env },
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
}
