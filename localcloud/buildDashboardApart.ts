// The launcher builds the dashboard in a process of its own: Vite (rolldown, its
// native threads and their memory) stays loaded in whatever process builds, and
// in the launcher that was about 300 MB of resident memory held for the whole run.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DIST_DIR, REPO_ROOT, sourceHash, type BuildResult } from "../lib/dashboard/buildDashboard.ts";

function stampHash(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(DIST_DIR, ".build-stamp"), "utf8")) as { hash?: string }).hash;
  } catch {
    return undefined;
  }
}

export async function buildDashboardApart(): Promise<BuildResult> {
  const started = Date.now();
  const hash = sourceHash();
  if (stampHash() === hash && existsSync(join(DIST_DIR, "index.html"))) return { built: false, distDir: DIST_DIR, hash, ms: Date.now() - started };
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/dashboard.ts", "build"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`dashboard build failed (exit ${code}): ${stderr.trim().split("\n").slice(-5).join(" | ")}`);
  return { built: true, distDir: DIST_DIR, hash, ms: Date.now() - started };
}
