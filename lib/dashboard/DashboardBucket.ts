/**
 * Where a built dashboard is published: a bucket, the local emulator's or a
 * real one (lib/adapters/aws/S3DashboardBucket.ts), each object with the
 * headers browsers and CloudFront go by.
 */
export interface DashboardBucket {
  readonly name: string;
  put(key: string, body: Buffer | string, headers: { contentType: string; cacheControl: string }): Promise<void>;
}
