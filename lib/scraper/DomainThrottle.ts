/**
 * Politeness per host: at most `concurrency` navigations in flight and at least
 * `delayMs` between the starts of two navigations to the same host.
 */
export class DomainThrottle {
  private readonly hosts = new Map<string, { active: number; nextStart: number; waiting: Array<() => void> }>();

  constructor(
    private readonly delayMs: number,
    private readonly concurrency: number,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async run<T>(host: string, fn: () => Promise<T>): Promise<T> {
    let state = this.hosts.get(host);
    if (!state) this.hosts.set(host, (state = { active: 0, nextStart: 0, waiting: [] }));
    while (state.active >= this.concurrency) await new Promise<void>((resolve) => state!.waiting.push(resolve));
    state.active++;
    try {
      // Reserve the slot before sleeping so concurrent callers queue behind it.
      const start = Math.max(Date.now(), state.nextStart);
      state.nextStart = start + this.delayMs;
      if (start > Date.now()) await this.sleep(start - Date.now());
      return await fn();
    } finally {
      state.active--;
      state.waiting.shift()?.();
    }
  }
}
