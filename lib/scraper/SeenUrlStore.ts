import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

interface SeenDocument {
  version: 1;
  /** canonical URL → when it was first delivered (ISO). */
  urls: Record<string, string>;
}

/**
 * URLs a scraper has already delivered, kept in S3 so that every Lambda
 * container (and the next invocation) sees the same history: one object per
 * domain, read once at the start of a run and written once at the end.
 * Bounded: only the most recent `capacity` URLs are kept, which is far more
 * than a listing page ever shows.
 */
export class SeenUrlStore {
  private urls = new Map<string, string>();
  private dirty = false;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    readonly key: string,
    private readonly capacity = 5000,
  ) {}

  static keyFor(domain: string): string {
    return `state/scrapers/${domain}/seen.json`;
  }

  async load(): Promise<this> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key }));
      const doc = JSON.parse(await response.Body!.transformToString()) as SeenDocument;
      this.urls = new Map(Object.entries(doc.urls ?? {}));
    } catch (error) {
      // First run: nothing seen yet. (In AWS a missing key is NoSuchKey only with s3:ListBucket; see docs/scraper.md.)
      if ((error as { name?: string }).name !== "NoSuchKey") throw error;
      this.urls = new Map();
    }
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
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: JSON.stringify(doc), ContentType: "application/json" }));
    this.dirty = false;
  }
}
