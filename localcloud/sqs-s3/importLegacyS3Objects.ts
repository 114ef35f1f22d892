import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { FauxqsS3Store } from "./fauxqsInternals.ts";

/**
 * Data directories written before the move to fauxqs 2 kept S3 objects as
 * `<dir>/<bucket>/<sha256(key)>.{json,bin}`. Imports them once into the store (which
 * persists them in its own layout), then removes the old folder.
 */
export function importLegacyS3Objects(dir: string, store: FauxqsS3Store): number {
  if (!existsSync(dir)) return 0;
  let imported = 0;
  for (const bucket of readdirSync(dir)) {
    if (!store.hasBucket(bucket)) store.createBucket(bucket);
    for (const file of readdirSync(join(dir, bucket))) {
      if (!file.endsWith(".json")) continue;
      const meta = JSON.parse(readFileSync(join(dir, bucket, file), "utf8")) as { key: string; contentType: string; metadata: Record<string, string> };
      const body = readFileSync(join(dir, bucket, file.replace(/\.json$/, ".bin")));
      store.putObject(bucket, meta.key, body, meta.contentType, meta.metadata);
      imported++;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  return imported;
}
