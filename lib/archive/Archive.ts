// The raw archive as producers and replay see it (Crawlee's storage pattern: the
// domain names what it needs, lib/adapters/aws/S3RawArchive.ts keeps it in S3).

/**
 * Where every raw batch that enters the pipeline is kept, under
 * `rawArchiveKey(source, at, batchId)`: archiving the same batch twice writes
 * the same object once (a retried request is not archived twice).
 */
export interface Archive {
  /** Archives `records` as JSON Lines; resolves to the object's key. */
  put(source: string, batchId: string, records: readonly unknown[], at: Date): Promise<string>;
  /** `put` for records already serialised by `toJsonLines` (a caller that hashed them need not serialise twice). */
  putJsonLines(source: string, batchId: string, jsonLines: string, at: Date): Promise<string>;
}

export interface ArchivedObject {
  key: string;
  lastModified?: Date;
}

/** The archive read back, for replay. */
export interface ArchiveReader {
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<ArchivedObject>;
  /** An archived batch's JSON Lines, decompressed. */
  readJsonLines(key: string): Promise<string>;
}
