/**
 * Exponential backoff with full jitter: attempt 1 waits up to base, then
 * doubling up to max. Jitter spreads reconnects of many collectors after a
 * shared outage instead of having them hit the exchange in step.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
