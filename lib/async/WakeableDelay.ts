/** A wait that `wake()` can cut short: a reconnect backoff that a stop must not sit out. */
export class WakeableDelay {
  #wake: (() => void) | undefined;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  /** Ends the wait under way, if any. */
  wake(): void {
    this.#wake?.();
  }
}
