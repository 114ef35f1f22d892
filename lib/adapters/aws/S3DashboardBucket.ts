import { ListBucketsCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { DashboardBucket } from "../../dashboard/DashboardBucket.ts";

/** The dashboard's bucket in S3 (or the local emulator, path-style). */
export class S3DashboardBucket implements DashboardBucket {
  constructor(
    private readonly s3: S3Client,
    readonly name: string,
  ) {}

  /** The bucket named `*-dashboard` (serverless.yml's DashboardBucket), as the local cloud created it. */
  static async find(s3: S3Client): Promise<S3DashboardBucket> {
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    const name = Buckets.find((b) => b.Name?.endsWith("-dashboard"))?.Name;
    if (!name) throw new Error("no dashboard bucket (a bucket named *-dashboard in serverless.yml resources)");
    return new S3DashboardBucket(s3, name);
  }

  async put(key: string, body: Buffer | string, headers: { contentType: string; cacheControl: string }): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.name, Key: key, Body: body, ContentType: headers.contentType, CacheControl: headers.cacheControl }));
  }
}
