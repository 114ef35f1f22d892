// Whether shown data may be out of date: every live figure carries the time it was
// last updated, and past a threshold the page says so instead of looking current.

export interface Freshness {
  /** "updated 42 s ago", or what is missing. */
  label: string;
  stale: boolean;
}

/** Market data arrives every second while the collector runs; a minute of silence means it does not. */
export const MARKET_STALE_MS = 60_000;

export function freshness(updatedAt: number | undefined, now: number, staleAfterMs: number): Freshness {
  if (updatedAt === undefined || !Number.isFinite(updatedAt)) return { label: "never updated", stale: true };
  const age = now - updatedAt;
  const s = Math.max(0, Math.round(age / 1000));
  const ago = s < 2 ? "just now" : s < 120 ? `${s} s ago` : s < 7200 ? `${Math.floor(s / 60)} min ago` : `${Math.floor(s / 3600)} h ago`;
  const stale = age > staleAfterMs;
  return { label: `updated ${ago}${stale ? " (stale)" : ""}`, stale };
}
