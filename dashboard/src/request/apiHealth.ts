// Whether the API answers, from the outcomes of the page's own requests: the
// connection badge says "live" only when the broker has acknowledged the
// subscriptions and this says "ok".
//
// Two rules, so that neither a panel that keeps failing nor a one-off request
// that just failed can hide behind another request's success:
//  - a source (a loader: one panel's data) that failed stays counted until that
//    same source succeeds or goes away (its view closed);
//  - and the most recent request to end decides for everything else.
import { Emitter } from "../emitter.ts";
import { apiUnavailable, type ApiError } from "./apiError.ts";

export type ApiStatus =
  /** Nothing has answered yet. */
  | { kind: "unknown" }
  | { kind: "ok"; at: number }
  /** `failure`: the most recent failure that counts. */
  | { kind: "failing"; failure: ApiError };

export class ApiHealth {
  #failing = new Map<string, ApiError>();
  #latest: { ok: true; at: number } | { ok: false; error: ApiError; at: number } | undefined;
  /** When any request last ended (for the idle probe). */
  lastSettledAt: number | undefined;
  /** The status changed kind or reason. */
  readonly changed = new Emitter<ApiStatus>();
  /** An answer came after failures: whatever failed may be retried now rather than at its next backoff. */
  readonly recovered = new Emitter<void>();

  constructor(private readonly now: () => number = Date.now) {}

  settle(source: string | undefined, error: ApiError | undefined): void {
    const before = this.status();
    const at = this.now();
    this.lastSettledAt = at;
    // Refused on its merits (400, 404): the API answered, so it counts as working.
    const failed = error !== undefined && apiUnavailable(error);
    let healed = false;
    if (failed) {
      if (source !== undefined) {
        // Re-inserted, so that the newest failure is the one the badge names.
        this.#failing.delete(source);
        this.#failing.set(source, error);
      }
      this.#latest = { ok: false, error, at };
    } else {
      healed = (source !== undefined && this.#failing.delete(source)) || this.#latest?.ok === false;
      this.#latest = { ok: true, at };
    }
    this.#emitIfChanged(before);
    if (healed) this.recovered.emit();
  }

  /** The source went away (its view closed): its failure no longer stands for anything shown. */
  release(source: string): void {
    const before = this.status();
    this.#failing.delete(source);
    this.#emitIfChanged(before);
  }

  status(): ApiStatus {
    const latest = this.#latest;
    if (latest === undefined) return { kind: "unknown" };
    const failure = latest.ok ? [...this.#failing.values()].pop() : latest.error;
    if (failure === undefined) return { kind: "ok", at: latest.at };
    return { kind: "failing", failure };
  }

  #emitIfChanged(before: ApiStatus): void {
    const after = this.status();
    const reason = (s: ApiStatus) => (s.kind === "failing" ? s.failure.message : "");
    if (after.kind !== before.kind || reason(after) !== reason(before)) this.changed.emit(after);
  }
}
