import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FauxqsS3Object, FauxqsS3Store, S3StoreClass } from "./fauxqsInternals.ts";

interface StoredMeta {
  key: string;
  contentType: string;
  metadata: Record<string, string>;
}

const fileName = (key: string) => createHash("sha256").update(key).digest("hex");

function writeAtomic(path: string, data: Buffer | string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/**
 * Extends fauxqs's in-memory S3 store so that buckets and objects live under a
 * data directory and are found again after a restart. Every mutation is written
 * through to disk before the emulator answers.
 */
export function persistentS3Store(Base: S3StoreClass, dir: string): FauxqsS3Store {
  class PersistentS3Store extends Base {
    private loading = false;

    override createBucket(name: string): void {
      super.createBucket(name);
      if (!this.loading) mkdirSync(join(dir, name), { recursive: true });
    }

    override deleteBucket(name: string): void {
      super.deleteBucket(name);
      rmSync(join(dir, name), { recursive: true, force: true });
    }

    override putObject(bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): FauxqsS3Object {
      const object = super.putObject(bucket, key, body, contentType, metadata);
      if (!this.loading) this.persist(bucket, object);
      return object;
    }

    override completeMultipartUpload(uploadId: string, parts: { partNumber: number; etag: string }[]): FauxqsS3Object {
      const bucket = this.bucketOfUpload(uploadId);
      const object = super.completeMultipartUpload(uploadId, parts);
      if (bucket) this.persist(bucket, object);
      return object;
    }

    override deleteObject(bucket: string, key: string): void {
      super.deleteObject(bucket, key);
      this.unpersist(bucket, key);
    }

    override deleteObjects(bucket: string, keys: string[]): string[] {
      const deleted = super.deleteObjects(bucket, keys);
      for (const key of deleted) this.unpersist(bucket, key);
      return deleted;
    }

    override emptyBucket(name: string): void {
      super.emptyBucket(name);
      if (existsSync(join(dir, name))) {
        rmSync(join(dir, name), { recursive: true, force: true });
        mkdirSync(join(dir, name), { recursive: true });
      }
    }

    override clearObjects(): void {
      for (const { name } of this.listBuckets()) this.emptyBucket(name);
    }

    load(): void {
      if (!existsSync(dir)) return;
      this.loading = true;
      try {
        for (const bucket of readdirSync(dir)) {
          super.createBucket(bucket);
          for (const file of readdirSync(join(dir, bucket))) {
            if (!file.endsWith(".json")) continue;
            const meta = JSON.parse(readFileSync(join(dir, bucket, file), "utf8")) as StoredMeta;
            const body = readFileSync(join(dir, bucket, file.replace(/\.json$/, ".bin")));
            super.putObject(bucket, meta.key, body, meta.contentType, meta.metadata);
          }
        }
      } finally {
        this.loading = false;
      }
    }

    private bucketOfUpload(uploadId: string): string | undefined {
      const uploads = (this as unknown as { multipartUploads: Map<string, { bucket: string }> }).multipartUploads;
      return uploads.get(uploadId)?.bucket;
    }

    private persist(bucket: string, object: FauxqsS3Object): void {
      const base = join(dir, bucket, fileName(object.key));
      mkdirSync(join(dir, bucket), { recursive: true });
      writeAtomic(`${base}.bin`, object.body);
      const meta: StoredMeta = { key: object.key, contentType: object.contentType, metadata: object.metadata };
      writeAtomic(`${base}.json`, JSON.stringify(meta));
    }

    private unpersist(bucket: string, key: string): void {
      const base = join(dir, bucket, fileName(key));
      rmSync(`${base}.json`, { force: true });
      rmSync(`${base}.bin`, { force: true });
    }
  }
  const store = new PersistentS3Store();
  store.load();
  return store;
}
