// The fuzz suite's harness: each boundary is a property over generated inputs;
// a run classifies every input as accepted or refused, and any broken promise
// (a 5xx, a crash, a 4xx naming nothing, a side effect of a refusal) is a
// failure, shrunk by fast-check to a small counterexample.
import fc from "fast-check";

export type Verdict = "accepted" | "refused";

export interface RunningBoundary<T> {
  arbitrary: fc.Arbitrary<T>;
  /** Sends one input across the boundary; resolves with what happened, throws when a promise is broken. */
  check(input: T): Promise<Verdict>;
  stop(): Promise<void>;
  /** Printed beside the figures (e.g. what the local emulator keeps out of the inputs). */
  note?: string;
}

export interface Boundary<T = unknown> {
  name: string;
  start(): Promise<RunningBoundary<T>>;
}

export interface BoundaryFigures {
  name: string;
  tried: number;
  accepted: number;
  refused: number;
  failures: number;
  ms: number;
  seed: number;
  note?: string;
  /** The shrunk input and the broken promise, when there was a failure. */
  counterexample?: string;
}

export interface FuzzOptions {
  numRuns: number;
  seed: number;
  /** Stop generating new inputs after this long (the figures say how many were tried). */
  timeLimitMs?: number;
}

export async function fuzzBoundary<T>(boundary: Boundary<T>, options: FuzzOptions): Promise<BoundaryFigures> {
  const running = await boundary.start();
  const verdicts: Verdict[] = [];
  const started = performance.now();
  try {
    const details = await fc.check(
      fc.asyncProperty(running.arbitrary, async (input) => {
        verdicts.push(await running.check(input));
      }),
      { numRuns: options.numRuns, seed: options.seed, ...(options.timeLimitMs ? { interruptAfterTimeLimit: options.timeLimitMs } : {}) },
    );
    // Generation comes first, shrinking after: the first numRuns verdicts are the inputs tried.
    const tried = verdicts.slice(0, details.numRuns);
    const failed = details.failed && !details.interrupted;
    return {
      name: boundary.name,
      tried: details.numRuns,
      accepted: tried.filter((v) => v === "accepted").length,
      refused: tried.filter((v) => v === "refused").length,
      failures: failed ? 1 : 0,
      ms: Math.round(performance.now() - started),
      seed: options.seed,
      ...(running.note ? { note: running.note } : {}),
      ...(failed ? { counterexample: `${fc.stringify(details.counterexample)}\n${String(details.errorInstance ?? "")}`.slice(0, 4000) } : {}),
    };
  } finally {
    await running.stop();
  }
}

export function figuresTable(rows: readonly BoundaryFigures[]): string {
  const header = ["boundary", "tried", "accepted", "refused", "failures", "seconds"];
  const lines = rows.map((r) => [r.name, String(r.tried), String(r.accepted), String(r.refused), String(r.failures), (r.ms / 1000).toFixed(1)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const total = rows.reduce((t, r) => ({ tried: t.tried + r.tried, accepted: t.accepted + r.accepted, refused: t.refused + r.refused, failures: t.failures + r.failures, ms: t.ms + r.ms }), { tried: 0, accepted: 0, refused: 0, failures: 0, ms: 0 });
  return [
    format(header),
    ...lines.map(format),
    format(["total", String(total.tried), String(total.accepted), String(total.refused), String(total.failures), (total.ms / 1000).toFixed(1)]),
  ].join("\n");
}
