import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { StateStore } from "../../scraper/StateStore.ts";

/** Scraper state as JSON objects in a bucket (`state/scrapers/…` in the raw archive's bucket). */
export class S3StateStore implements StateStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async read(key: string): Promise<string | undefined> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await response.Body!.transformToString();
    } catch (error) {
      // Nothing stored yet. (In AWS a missing key is NoSuchKey only with s3:ListBucket; see docs/scraper.md.)
      if ((error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    }
  }

  async write(key: string, text: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: text, ContentType: "application/json" }));
  }
}
