// When a failed request is tried again: soon at first (most outages are a blip),
// then less and less often, so that a down API is not hammered by every open
// dashboard at once. Jittered like the live feed's reconnects.
import { backoffDelay, type BackoffOptions } from "../live/backoff.ts";

/** 1 s, 2 s, 4 s … capped at 30 s, each between half and all of that. */
export const RETRY_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, jitter: 0.5 };

/** Delay before automatic retry number `attempt` (1-based: after the first failure). */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  return backoffDelay(attempt, RETRY_BACKOFF, random);
}
