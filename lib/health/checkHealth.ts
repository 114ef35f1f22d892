export interface DependencyCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface HealthReport {
  status: "ok" | "degraded";
  checks: Record<string, { ok: boolean; ms: number; error?: string }>;
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
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
        ]);
        return [name, { ok: true, ms: Math.round(performance.now() - started) }] as const;
      } catch (error) {
        return [name, { ok: false, ms: Math.round(performance.now() - started), error: (error as Error).message || String(error) }] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const report = Object.fromEntries(results);
  return { status: results.every(([, r]) => r.ok) ? "ok" : "degraded", checks: report };
}
