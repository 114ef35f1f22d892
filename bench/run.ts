// `npm run bench [-- --quick] [name…]`: runs every bench/*.bench.ts and every
// workspace package's packages/<name>/bench/*.bench.ts (or those whose file name
// contains one of the given words) one after another, each in its own process
// so that one benchmark's memory does not skew the next. Each prints its figures.
// The soak (half an hour by default) and the runtime latency (the whole demo stack, ~5 min)
// run only when named: `npm run bench -- soak`, `npm run bench -- runtime-latency`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { profileArgs } from "./profileArgs.ts";

const LONG = new Set(["soak.bench.ts", "runtime-latency.bench.ts"]);
const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith("--"));
const names = args.filter((a) => !a.startsWith("--"));
// A package keeps its benchmark beside its code; the root still runs them all.
const dirs = ["bench", ...readdirSync("packages").map((p) => join("packages", p, "bench")).filter((d) => existsSync(d))];
const benches = dirs
  .flatMap((d) => readdirSync(d).filter((f) => f.endsWith(".bench.ts")).map((f) => join(d, f)))
  .filter((path) => {
    const f = basename(path);
    return names.length === 0 ? !LONG.has(f) : names.some((n) => f.includes(n));
  })
  .sort((a, b) => basename(a).localeCompare(basename(b)));

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, [...profileArgs(), "--import", "tsx", "--expose-gc", file, ...flags], {
    stdio: "inherit",
  });
  if (run.status !== 0) failed++;
}
if (benches.length === 0) console.error("no benchmark matched");
process.exit(failed > 0 || benches.length === 0 ? 1 : 0);
