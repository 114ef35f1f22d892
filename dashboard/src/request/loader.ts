// One piece of data a view shows (a panel's answer), loaded from the API and kept:
// a failed load keeps the last good answer (the view marks it stale) and retries
// on a backoff schedule, at once when woken (the network or the API is back, the
// tab is visible again), and never while an earlier attempt is still running.
// No DOM here: the view renders `state` whenever `onChange` says it moved.
import type { RequestOptions } from "../api.ts";
import { retryable } from "./apiError.ts";
import { retryDelay as defaultRetryDelay } from "./retrySchedule.ts";

export interface LoadState<T> {
  /** The last good answer, kept through later failures. */
  data: T | undefined;
  /** When `data` arrived. */
  dataAt: number | undefined;
  /** A request is in flight. */
  loading: boolean;
  /** Why the last attempt failed; undefined once one succeeds. */
  failure: unknown;
  /** Failed attempts in a row. */
  attempts: number;
  /** When the next automatic attempt runs; undefined when none is scheduled (not retryable, or offline: waiting to be woken). */
  retryAt: number | undefined;
}

export interface LoaderDeps {
  /** Subscribe to "try again now" moments; returns the unsubscribe. */
  wake?: (listener: () => void) => () => void;
  /** The source left with the API's health tracker goes away with the loader. */
  release?: (source: string) => void;
  isOnline?: () => boolean;
  retryDelay?: (attempt: number) => number;
  now?: () => number;
}

let sequence = 0;

export class Loader<T> {
  /** Passed with every request as its source, for the API's health. */
  readonly id = `load-${++sequence}`;
  #state: LoadState<T> = { data: undefined, dataAt: undefined, loading: false, failure: undefined, attempts: 0, retryAt: undefined };
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #destroyed = false;
  readonly #offWake: () => void;
  readonly #now: () => number;

  constructor(
    private readonly load: (request: Required<Pick<RequestOptions, "signal" | "source">>) => Promise<T>,
    private readonly onChange: (state: Readonly<LoadState<T>>) => void,
    private readonly deps: LoaderDeps = {},
  ) {
    this.#now = deps.now ?? Date.now;
    // Only what failed is woken: a loaded panel stays as it is.
    this.#offWake = deps.wake?.(() => {
      if (this.#state.failure !== undefined) this.retryNow();
    }) ?? (() => {});
  }

  get state(): Readonly<LoadState<T>> {
    return this.#state;
  }

  /** Newer data may exist (a notification, a timer): load, unless an attempt is running or a failure is waiting out its backoff. */
  refresh(): void {
    if (this.#state.loading || this.#timer !== undefined) return;
    this.#start();
  }

  /** The user asked, or the network is back: load now, unless an attempt is already running. */
  retryNow(): void {
    if (this.#state.loading) return;
    this.#start();
  }

  /** The question changed (another symbol, window, tag): drop the old answer and any attempt for it, and ask anew. */
  restart(): void {
    this.#controller?.abort();
    this.#controller = undefined;
    this.#state = { ...this.#state, data: undefined, dataAt: undefined, loading: false, failure: undefined, attempts: 0 };
    this.#start();
  }

  destroy(): void {
    this.#destroyed = true;
    this.#controller?.abort();
    clearTimeout(this.#timer);
    this.#offWake();
    this.deps.release?.(this.id);
  }

  #set(next: Partial<LoadState<T>>): void {
    this.#state = { ...this.#state, ...next };
    this.onChange(this.#state);
  }

  #start(): void {
    if (this.#destroyed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const controller = new AbortController();
    this.#controller = controller;
    this.#set({ loading: true, retryAt: undefined });
    this.load({ signal: controller.signal, source: this.id }).then(
      (data) => {
        if (controller.signal.aborted || this.#destroyed) return;
        this.#controller = undefined;
        this.#set({ data, dataAt: this.#now(), loading: false, failure: undefined, attempts: 0, retryAt: undefined });
      },
      (error: unknown) => {
        if (controller.signal.aborted || this.#destroyed) return;
        this.#controller = undefined;
        const attempts = this.#state.attempts + 1;
        // Offline: no timer burning attempts; the "online" wake-up retries.
        const online = this.deps.isOnline?.() ?? true;
        let retryAt: number | undefined;
        if (retryable(error) && online) {
          const delay = (this.deps.retryDelay ?? defaultRetryDelay)(attempts);
          retryAt = this.#now() + delay;
          this.#timer = setTimeout(() => this.#start(), delay);
        }
        this.#set({ loading: false, failure: error, attempts, retryAt });
      },
    );
  }
}
