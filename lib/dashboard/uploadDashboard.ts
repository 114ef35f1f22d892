// Uploads a built dashboard (dashboard/dist) to a bucket, the local emulator's or a
// real one (a DashboardBucket), with the right Content-Type and Cache-Control, then writes config.json.
// Order matters: assets first, then index.html, then config.json, so a visitor never
// loads an index.html whose assets are not there yet.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseConfig, type DashboardConfig } from "../../contracts/dashboardConfig.ts";
import { cacheControlOf, contentTypeOf, REVALIDATE } from "./contentType.ts";
import type { DashboardBucket } from "./DashboardBucket.ts";

export type { DashboardConfig };

export interface UploadOptions {
  distDir: string;
  config: DashboardConfig;
  /** Key prefix inside the bucket ("" = the bucket's root). */
  prefix?: string;
  concurrency?: number;
}

export interface UploadResult {
  files: number;
  bytes: number;
  keys: string[];
}

function listDist(dir: string, root = dir, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue; // the build stamp
    const path = join(dir, name);
    if (statSync(path).isDirectory()) listDist(path, root, out);
    else out.push(relative(root, path).split(sep).join("/"));
  }
  return out;
}

const keyOf = (prefix: string, path: string) => (prefix ? `${prefix.replace(/\/+$/, "")}/${path}` : path);

/** Writes (or rewrites) config.json beside index.html; validated first, so a bad config never reaches the bucket. */
export async function writeDashboardConfig(bucket: DashboardBucket, config: DashboardConfig, prefix = ""): Promise<string> {
  const body = JSON.stringify(parseConfig(config), null, 2) + "\n";
  const key = keyOf(prefix, "config.json");
  await bucket.put(key, body, { contentType: "application/json; charset=utf-8", cacheControl: REVALIDATE });
  return key;
}

export async function uploadDashboard(bucket: DashboardBucket, options: UploadOptions): Promise<UploadResult> {
  const prefix = options.prefix ?? "";
  const files = listDist(options.distDir).filter((f) => f !== "config.json");
  if (!files.includes("index.html")) throw new Error(`${options.distDir} has no index.html: build the dashboard first`);
  const put = async (path: string) => {
    const body = readFileSync(join(options.distDir, path));
    const key = keyOf(prefix, path);
    await bucket.put(key, body, { contentType: contentTypeOf(path), cacheControl: cacheControlOf(path) });
    return body.length;
  };
  let bytes = 0;
  const rest = files.filter((f) => f !== "index.html");
  const queue = [...rest];
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) bytes += await put(path);
  });
  await Promise.all(workers);
  bytes += await put("index.html");
  const configKey = await writeDashboardConfig(bucket, options.config, prefix);
  return { files: files.length + 1, bytes, keys: [...rest.map((f) => keyOf(prefix, f)), keyOf(prefix, "index.html"), configKey] };
}
