// `npm start`'s dashboard step: build if the sources changed, upload to the local
// dashboard bucket with a config.json pointing at this stack, return the page URL.
import type { DashboardConfig } from "../../contracts/dashboardConfig.ts";
import type { BuildResult } from "./buildDashboard.ts";
import type { DashboardBucket } from "./DashboardBucket.ts";
import { uploadDashboard } from "./uploadDashboard.ts";

export const DEV_USER = "developer";

export interface LocalDashboardSettings {
  host: string;
  apiPort: number;
  mqttWsUrl: string;
  dashboardIdentity: { username: string; password: string };
  devToken: string;
}

export function localDashboardConfig(s: LocalDashboardSettings): DashboardConfig {
  return {
    apiUrl: `http://${s.host.includes(":") ? `[${s.host}]` : s.host}:${s.apiPort}`,
    mqttUrl: s.mqttWsUrl,
    mqttUsername: s.dashboardIdentity.username,
    mqttPassword: s.dashboardIdentity.password,
    auth: { mode: "dev", token: s.devToken, user: DEV_USER },
  };
}

export interface PublishedDashboard {
  url: string;
  bucket: string;
  build: BuildResult;
  files: number;
  bytes: number;
}

/** Publishes to `bucket`, whose objects the local S3 endpoint `s3Url` serves path-style. */
export async function publishLocalDashboard(bucket: DashboardBucket, s3Url: string, build: Promise<BuildResult>, settings: LocalDashboardSettings): Promise<PublishedDashboard> {
  const built = await build;
  const uploaded = await uploadDashboard(bucket, { distDir: built.distDir, config: localDashboardConfig(settings) });
  return { url: `${s3Url}/${bucket.name}/index.html`, bucket: bucket.name, build: built, files: uploaded.files, bytes: uploaded.bytes };
}
