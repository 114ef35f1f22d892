import { RestBudgetExhausted } from "./restErrors.ts";

/** A published REST limit: `weight` per `perMs`. */
export interface RestLimit {
  weight: number;
  perMs: number;
}

/**
 * Keeps one exchange's REST calls within a rate limit. Exchanges count weight
 * in fixed intervals (Binance per minute, Kucoin per 30 s); a bucket that holds
 * half the limit and refills the other half over the interval never spends more
 * than the limit in any interval, however the two line up.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(
    limit: RestLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.capacity = limit.weight / 2;
    this.perMs = limit.weight / 2 / limit.perMs;
    this.tokens = this.capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + (t - this.last) * this.perMs);
    this.last = t;
  }

  /** Waits for `weight` tokens; throws RestBudgetExhausted if they would come after `deadline` (ms since the epoch). */
  async take(weight: number, deadline: number, signal?: AbortSignal): Promise<void> {
    if (weight > this.capacity) throw new RangeError(`a call of weight ${weight} can never fit a bucket of ${this.capacity}`);
    for (;;) {
      if (this.now() >= deadline) throw new RestBudgetExhausted("the window's time for REST calls is over");
      this.refill();
      if (this.tokens >= weight) {
        this.tokens -= weight;
        return;
      }
      const wait = Math.ceil((weight - this.tokens) / this.perMs);
      if (this.now() + wait > deadline) throw new RestBudgetExhausted(`rate limit: ${wait} ms to wait, past the window's deadline`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      if (signal?.aborted) throw new DOMException("the window was aborted", "AbortError"); // Backfiller: stops for the window
    }
  }

  /** Spends nothing until `untilMs` (the exchange's Retry-After). */
  drainUntil(untilMs: number): void {
    this.tokens = -(untilMs - this.now()) * this.perMs;
    this.last = this.now();
  }
}
