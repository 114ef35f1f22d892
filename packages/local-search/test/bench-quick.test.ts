// Keeps bench/search.bench.ts from rotting: runs its core path on a few
// thousand documents (the figures themselves are the benchmark's business).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runSearchBench } from "../bench/search.bench.ts";
import { REAL_URL } from "./target.ts";

describe("search benchmark (tiny run)", { skip: REAL_URL ? "benchmarks the local endpoint only" : false }, () => {
  it("indexes, aggregates, scans and agrees with itself", async () => {
    const lines: string[] = [];
    const r = await runSearchBench({ candles: 5000, smallDocs: 5000, iterations: 3, log: (l) => lines.push(l) });
    assert.equal(r.aggMatchesScan, true, lines.join("\n"));
    assert.equal(r.termsMatchesScan, true, lines.join("\n"));
    for (const v of [r.bulkDocsPerSec, r.candleBulkDocsPerSec, r.aggP50Ms, r.aggP95Ms, r.scanMs, r.termsP95Ms]) assert.ok(Number.isFinite(v) && v > 0);
    assert.ok(lines.length >= 5);
  });
});
