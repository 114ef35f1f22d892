import { readFileSync } from "node:fs";

/** Whether Chromium runs with its sandbox, and why (printed by the CLI, logged by the functions). */
export interface SandboxDecision {
  enabled: boolean;
  reason: string;
}

type Env = Record<string, string | undefined>;

function sysctl(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The kernel settings that keep an unprivileged process from creating the user namespace Chromium's sandbox needs. */
function userNamespacesRefused(read: (path: string) => string | undefined): string | undefined {
  if (read("/proc/sys/kernel/unprivileged_userns_clone") === "0") return "kernel.unprivileged_userns_clone is 0";
  if (read("/proc/sys/user/max_user_namespaces") === "0") return "user.max_user_namespaces is 0";
  if (read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") === "1") return "AppArmor restricts unprivileged user namespaces";
  return undefined;
}

/**
 * Chromium's sandbox wherever the platform allows it. It needs unprivileged
 * user namespaces (the @sparticuz/chromium pack has no setuid helper) and a
 * user other than root. Off in Lambda (no user namespaces there), as root
 * (Chromium refuses to sandbox root) and where the kernel refuses user
 * namespaces. CHROMIUM_SANDBOX=off turns it off; =on insists (the launch then
 * fails where the platform refuses, rather than running unsandboxed).
 */
export function chromiumSandbox(env: Env = process.env, uid: number | undefined = process.getuid?.(), read = sysctl): SandboxDecision {
  const setting = env.CHROMIUM_SANDBOX?.toLowerCase();
  if (setting === "off") return { enabled: false, reason: "CHROMIUM_SANDBOX=off" };
  if (setting === "on") return { enabled: true, reason: "CHROMIUM_SANDBOX=on" };
  if (env.AWS_LAMBDA_FUNCTION_NAME && !env.IS_OFFLINE) return { enabled: false, reason: "AWS Lambda has no user namespaces for Chromium's sandbox" };
  if (uid === 0) return { enabled: false, reason: "running as root: Chromium does not sandbox root" };
  const refused = userNamespacesRefused(read);
  if (refused) return { enabled: false, reason: `${refused}: Chromium's sandbox cannot start` };
  return { enabled: true, reason: "sandboxed (unprivileged user namespaces)" };
}

/** Chromium flags that turn the sandbox off, or that only make sense without it (one process, no zygote). */
const UNSANDBOXED = new Set(["--no-sandbox", "--disable-setuid-sandbox", "--no-zygote", "--single-process"]);
/** @sparticuz/chromium's flags that weaken the same-origin policy: a scraper reading hostile pages never needs them. */
const WEAKENING = new Set(["--disable-web-security", "--allow-running-insecure-content"]);

/** @sparticuz/chromium's arguments, minus what weakens web security; sandboxed, minus what turns the sandbox off. */
export function chromiumArgs(packArgs: readonly string[], sandbox: SandboxDecision): string[] {
  const args = packArgs.filter((arg) => !WEAKENING.has(arg));
  if (sandbox.enabled) return args.filter((arg) => !UNSANDBOXED.has(arg));
  return args.includes("--no-sandbox") ? args : [...args, "--no-sandbox"];
}
