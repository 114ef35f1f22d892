// Builds dashboard/ with Vite (programmatically) into dashboard/dist, unless the
// sources are unchanged since the last build: a hash of every source file, the
// shared topic contract it imports and the versions of its toolchain is kept in
// dist/.build-stamp. The build goes to a temporary folder first, so a failed or
// concurrent build never leaves a half-written dist/ behind.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DASHBOARD_DIR = join(REPO_ROOT, "dashboard");
export const DIST_DIR = join(DASHBOARD_DIR, "dist");
const STAMP = ".build-stamp";
/** Outside dashboard/, the bundle imports only the contracts shared with the back end. */
const SHARED_SOURCES = ["contracts"];
const TOOLCHAIN = ["vite", "lightweight-charts", "mqtt"];

export interface BuildResult {
  built: boolean;
  distDir: string;
  hash: string;
  ms: number;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === "dist" || name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listFiles(path, out);
    else out.push(path);
  }
  return out;
}

/** Hash of everything that decides the build's output. */
export function sourceHash(root = REPO_ROOT): string {
  const hash = createHash("sha256");
  const dashboard = join(root, "dashboard");
  const files = [...listFiles(dashboard), ...SHARED_SOURCES.flatMap((dir) => listFiles(join(root, dir)))];
  for (const file of files) {
    hash.update(relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  // The toolchain is this repository's, whatever root is hashed.
  const require = createRequire(join(REPO_ROOT, "package.json"));
  for (const pkg of TOOLCHAIN) {
    const version = (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
    hash.update(`${pkg}@${version}\0`);
  }
  return hash.digest("hex");
}

function stampOf(distDir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(distDir, STAMP), "utf8")) as { hash?: string }).hash;
  } catch {
    return undefined;
  }
}

export async function buildDashboard(options: { force?: boolean; root?: string } = {}): Promise<BuildResult> {
  const started = Date.now();
  const root = options.root ?? REPO_ROOT;
  const dashboardDir = join(root, "dashboard");
  const distDir = join(dashboardDir, "dist");
  const hash = sourceHash(root);
  if (!options.force && stampOf(distDir) === hash && existsSync(join(distDir, "index.html"))) {
    return { built: false, distDir, hash, ms: Date.now() - started };
  }
  const tmpDir = join(dashboardDir, `.dist-${process.pid}-${Date.now()}`);
  const { build } = await import("vite");
  try {
    await build({
      configFile: join(dashboardDir, "vite.config.ts"),
      root: dashboardDir,
      logLevel: "warn",
      mode: "production",
      build: { outDir: tmpDir, emptyOutDir: true },
    });
    writeFileSync(join(tmpDir, STAMP), JSON.stringify({ hash, builtAt: new Date().toISOString() }) + "\n");
    // Swap in the new build. A concurrent build of the same tree may swap first: its
    // dist/ is as good as ours (same sources), so losing the race is not an error.
    const old = `${distDir}.old-${process.pid}`;
    const ignoreRace = (error: unknown) => {
      if (!["ENOENT", "ENOTEMPTY", "EEXIST"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
    };
    try {
      renameSync(distDir, old);
    } catch (error) {
      ignoreRace(error);
    }
    try {
      renameSync(tmpDir, distDir);
    } catch (error) {
      ignoreRace(error);
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(tmpDir, { recursive: true, force: true });
  }
  return { built: true, distDir, hash, ms: Date.now() - started };
}
