// Runs the type check, then every *.test.ts under the source folders and the
// workspace packages (packages/<name>/test) with node's own test runner, with the
// files listed here (so a filter can pick them).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["test", "lib", "localcloud", "functions", "scripts", "packages"];
const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith("--"));
const skipTypecheck = args.includes("--no-typecheck");

function findTests(dir: string, out: string[] = []): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const files = roots
  .flatMap((r) => findTests(r))
  .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)))
  .sort();

if (!skipTypecheck) {
  // The project, then the dashboard (browser code: DOM types, its own tsconfig).
  for (const project of [".", "dashboard"]) {
    const tsc = spawnSync("npx", ["tsc", "--noEmit", "-p", project], { stdio: "inherit" });
    if (tsc.status !== 0) {
      console.error(`type check failed (${project})`);
      process.exit(tsc.status ?? 1);
    }
  }
}

if (files.length === 0) {
  console.error("no test files found");
  process.exit(1);
}

const run = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=1", "--test-timeout=300000", ...files],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      CRYPTOVIZ_LOG_LEVEL: process.env.CRYPTOVIZ_LOG_LEVEL ?? "SILENT",
    },
  },
);
process.exit(run.status ?? 1);
