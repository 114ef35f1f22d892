// The bounded variant of `npm run fuzz`: every boundary with a few hundred
// generated inputs and a fixed seed (FUZZ_SEED to vary it), well under a
// minute in all. A failure prints fast-check's shrunk counterexample.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BOUNDARIES } from "./boundaries/index.ts";
import { fuzzBoundary } from "./harness.ts";

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
// Inputs per boundary; the envelope boundary pays a queue round trip each, the rest are cheaper.
const RUNS: Record<string, number> = { "envelope parser (consumers, DLQ)": 200 };

describe(`fuzz, bounded (seed ${SEED}; the full run is npm run fuzz)`, () => {
  for (const boundary of BOUNDARIES) {
    it(`${boundary.name}: no 5xx, no crash, every refusal names a field or limit and changes nothing`, async (t) => {
      const figures = await fuzzBoundary(boundary, { numRuns: RUNS[boundary.name] ?? 300, seed: SEED });
      t.diagnostic(`${figures.tried} tried, ${figures.accepted} accepted, ${figures.refused} refused, ${figures.failures} failures${figures.note ? ` (${figures.note})` : ""}`);
      assert.equal(figures.failures, 0, figures.counterexample);
      assert.ok(figures.accepted > 0 && figures.refused > 0, "the inputs reach both sides of the boundary");
    });
  }
});
