// `npm run fuzz [-- --runs N] [--seed S] [--time-limit-s T] [boundary-filter…]`:
// the full fuzz run. Every boundary gets N generated inputs (default 2000,
// within T seconds each if given); prints, per boundary, inputs tried,
// accepted, refused and failures, and a counterexample for any failure.
// Exit code 1 when anything failed. The bounded variant runs in `npm test`
// (test/fuzz/boundaries.test.ts).
import { parseArgs } from "node:util";
import { BOUNDARIES } from "./boundaries/index.ts";
import { figuresTable, fuzzBoundary, type BoundaryFigures } from "./harness.ts";

process.env.CRYPTOVIZ_LOG_LEVEL ??= "SILENT";
const { values, positionals } = parseArgs({
  options: { runs: { type: "string", default: "2000" }, seed: { type: "string" }, "time-limit-s": { type: "string" } },
  allowPositionals: true,
});
const numRuns = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
const timeLimitMs = values["time-limit-s"] ? Number(values["time-limit-s"]) * 1000 : undefined;
const selected = BOUNDARIES.filter((b) => positionals.length === 0 || positionals.some((p) => b.name.includes(p)));

console.log(`fuzzing ${selected.length} boundaries, ${numRuns} inputs each, seed ${seed}${timeLimitMs ? `, at most ${timeLimitMs / 1000} s each` : ""}`);
const rows: BoundaryFigures[] = [];
for (const boundary of selected) {
  const figures = await fuzzBoundary(boundary, { numRuns, seed, ...(timeLimitMs ? { timeLimitMs } : {}) });
  rows.push(figures);
  console.log(`${figures.name}: ${figures.tried} tried, ${figures.accepted} accepted, ${figures.refused} refused, ${figures.failures} failures (${(figures.ms / 1000).toFixed(1)} s)${figures.note ? ` — ${figures.note}` : ""}`);
  if (figures.counterexample) console.log(`  counterexample (replay with --seed ${seed}):\n${figures.counterexample}`);
}
console.log(`\n${figuresTable(rows)}`);
process.exit(rows.some((r) => r.failures > 0) ? 1 : 0);
