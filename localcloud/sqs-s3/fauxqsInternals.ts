// fauxqs exports only buildApp/startFauxqs, but the local cloud needs its store
// classes: to build queue URLs from the request host (so every client's URLs
// match) and to persist S3 objects across restarts. Its package "exports" map
// hides them, so they are loaded by file URL next to the resolved entry point.
import type { FastifyInstance } from "fastify";

export interface FauxqsS3Object {
  key: string;
  body: Buffer;
  contentType: string;
  contentLength: number;
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
}

export interface FauxqsS3Store {
  createBucket(name: string): void;
  deleteBucket(name: string): void;
  hasBucket(name: string): boolean;
  putObject(bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): FauxqsS3Object;
  deleteObject(bucket: string, key: string): void;
  deleteObjects(bucket: string, keys: string[]): string[];
  completeMultipartUpload(uploadId: string, parts: { partNumber: number; etag: string }[]): FauxqsS3Object;
  emptyBucket(name: string): void;
  clearObjects(): void;
  listBuckets(): { name: string; creationDate: Date }[];
}

export type S3StoreClass = new () => FauxqsS3Store;

export interface FauxqsModules {
  buildApp(options: { logger?: boolean; defaultRegion?: string; stores: { sqsStore: object; snsStore: object; s3Store: object } }): FastifyInstance;
  SqsStore: new () => { host: string; region: string; processAllTimers(): void };
  SnsStore: new () => { region: string };
  S3Store: S3StoreClass;
}

let loaded: Promise<FauxqsModules> | undefined;

export function loadFauxqs(): Promise<FauxqsModules> {
  loaded ??= (async () => {
    const entry = import.meta.resolve("fauxqs");
    const [app, sqs, sns, s3] = await Promise.all([
      import(entry),
      import(new URL("./sqs/sqsStore.js", entry).href),
      import(new URL("./sns/snsStore.js", entry).href),
      import(new URL("./s3/s3Store.js", entry).href),
    ]);
    return { buildApp: app.buildApp, SqsStore: sqs.SqsStore, SnsStore: sns.SnsStore, S3Store: s3.S3Store };
  })();
  return loaded;
}
