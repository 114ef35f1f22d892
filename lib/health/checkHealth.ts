export interface DependencyCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface CheckResult {
  ok: boolean;
  ms: number;
  /** The kind of failure (`TimeoutError`, `ResponseError`, `AccessDenied` …): safe to show a caller. */
  error?: string;
  /** The failure's own text: for the logs only (it can name resources, accounts, hosts). */
  detail?: string;
}

export interface HealthReport {
  status: "ok" | "degraded";
  checks: Record<string, CheckResult>;
}

class HealthTimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/** Runs every dependency check in parallel, each bounded by `timeoutMs`. */
export async function checkHealth(checks: readonly DependencyCheck[], timeoutMs = 2000): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async ({ name, check }) => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new HealthTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs))),
        ]);
        return [name, { ok: true, ms: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        const e = error as Error;
        return [name, { ok: false, ms: Math.round(performance.now() - started), error: e?.name || "Error", detail: e?.message || String(error) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report = Object.fromEntries(results);
  return { status: results.every(([, r]) => r.ok) ? "ok" : "degraded", checks: report };
}

/** The report without the failures' texts, for an answer. */
export function withoutDetails(report: HealthReport): HealthReport {
  return { status: report.status, checks: Object.fromEntries(Object.entries(report.checks).map(([name, { detail: _detail, ...rest }]) => [name, rest])) };
}
