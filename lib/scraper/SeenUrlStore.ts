import type { StateStore } from "./StateStore.ts";

interface SeenDocument {
  version: 1;
  /** canonical URL → when it was first delivered (ISO). */
  urls: Record<string, string>;
}

/**
 * URLs a scraper has already delivered, kept in a StateStore (S3) so that every
 * Lambda container (and the next invocation) sees the same history: one object
 * per domain, read once at the start of a run and written once at the end.
 * Bounded: only the most recent `capacity` URLs are kept, which is far more
 * than a listing page ever shows.
 */
export class SeenUrlStore {
  private urls = new Map<string, string>();
  private dirty = false;

  constructor(
    private readonly state: StateStore,
    readonly key: string,
    private readonly capacity = 5000,
  ) {}

  static keyFor(domain: string): string {
    return `state/scrapers/${domain}/seen.json`;
  }

  async load(): Promise<this> {
    const text = await this.state.read(this.key);
    // First run: nothing seen yet.
    const doc = text === undefined ? undefined : (JSON.parse(text) as SeenDocument);
    this.urls = new Map(Object.entries(doc?.urls ?? {}));
    return this;
  }

  has(key: string): boolean {
    return this.urls.has(key);
  }

  get size(): number {
    return this.urls.size;
  }

  add(keys: Iterable<string>, at: Date = new Date()): void {
    for (const key of keys) {
      if (this.urls.has(key)) continue;
      this.urls.set(key, at.toISOString());
      this.dirty = true;
    }
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    // Map keeps insertion order: the oldest entries are dropped first.
    const entries = [...this.urls.entries()].slice(-this.capacity);
    const doc: SeenDocument = { version: 1, urls: Object.fromEntries(entries) };
    await this.state.write(this.key, JSON.stringify(doc));
    this.dirty = false;
  }
}
