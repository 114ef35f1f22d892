/**
 * Where a scraper keeps what it must remember between runs, one JSON text per
 * key: an S3 bucket in AWS (lib/adapters/aws/S3StateStore.ts), shared by every
 * container and the next invocation.
 */
export interface StateStore {
  /** The text stored under `key`; undefined when nothing is stored there yet. */
  read(key: string): Promise<string | undefined>;
  write(key: string, text: string): Promise<void>;
}
