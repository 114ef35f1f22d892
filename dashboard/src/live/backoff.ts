// Reconnect delays: exponential with jitter, so that many dashboards reconnecting
// after a broker restart do not all knock at the same instant.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Fraction of the delay that is randomised: 0.5 → delay in [d/2, d]. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, jitter: 0.5 };

/** Delay before reconnect attempt `attempt` (1-based). `random` in [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(n - 1, 30));
  return Math.round(base * (1 - options.jitter * random()));
}
