import { gzipSync } from "node:zlib";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

const SOURCE = /^[a-z0-9][a-z0-9.-]{0,63}$/;

/** `raw/<source>/yyyy/mm/dd/hh/<batchId>.jsonl.gz`, partitioned by the hour (UTC) the batch entered. */
export function rawArchiveKey(source: string, at: Date, batchId: string): string {
  if (!SOURCE.test(source)) throw new RangeError(`source "${source}" is not a valid archive partition name`);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(batchId)) throw new RangeError(`batch id "${batchId}" is not a valid object name`);
  const iso = at.toISOString(); // yyyy-mm-ddThh:...
  return `raw/${source}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(11, 13)}/${batchId}.jsonl.gz`;
}

/** One JSON document per line, each line ended by a newline. */
export function toJsonLines(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n") + "\n";
}

/**
 * Every raw batch that enters the pipeline, as gzip JSON Lines. The key is
 * derived from the batch id, so archiving the same batch twice writes the
 * same object once (a retried request is not archived twice).
 */
export class RawArchive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  put(source: string, batchId: string, records: readonly unknown[], at: Date): Promise<string> {
    return this.putJsonLines(source, batchId, toJsonLines(records), at);
  }

  /** `put` for records already serialised by `toJsonLines` (a caller that hashed them need not serialise twice). */
  async putJsonLines(source: string, batchId: string, jsonLines: string, at: Date): Promise<string> {
    const key = rawArchiveKey(source, at, batchId);
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: gzipSync(jsonLines),
        ContentType: "application/x-ndjson",
        ContentEncoding: "gzip",
      }),
    );
    return key;
  }
}
