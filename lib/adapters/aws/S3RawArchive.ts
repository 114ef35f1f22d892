import { gunzipSync, gzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Archive, ArchivedObject, ArchiveReader } from "../../archive/Archive.ts";
import { rawArchiveKey, toJsonLines } from "../../archive/rawArchiveKey.ts";

/** The raw archive in an S3 bucket: gzip JSON Lines under `rawArchiveKey`. */
export class S3RawArchive implements Archive, ArchiveReader {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  put(source: string, batchId: string, records: readonly unknown[], at: Date): Promise<string> {
    return this.putJsonLines(source, batchId, toJsonLines(records), at);
  }

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

  async *list(prefix: string): AsyncGenerator<ArchivedObject> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) {
        if (o.Key) yield { key: o.Key, ...(o.LastModified ? { lastModified: o.LastModified } : {}) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async readJsonLines(key: string): Promise<string> {
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString("utf8");
  }
}
