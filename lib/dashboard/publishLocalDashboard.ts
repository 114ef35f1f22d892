// `npm start`'s dashboard step: build if the sources changed, upload to the local
// dashboard bucket with a config.json pointing at this stack, return the page URL.
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import type { DashboardConfig } from "../../contracts/dashboardConfig.ts";
import type { BuildResult } from "./buildDashboard.ts";
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

export async function publishLocalDashboard(s3Url: string, region: string, build: Promise<BuildResult>, settings: LocalDashboardSettings): Promise<PublishedDashboard> {
  const s3 = new S3Client({ region, endpoint: s3Url, credentials: { accessKeyId: "local", secretAccessKey: "local" }, forcePathStyle: true });
  try {
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    const bucket = Buckets.find((b) => b.Name?.endsWith("-dashboard"))?.Name;
    if (!bucket) throw new Error("no dashboard bucket (a bucket named *-dashboard in serverless.yml resources)");
    const built = await build;
    const uploaded = await uploadDashboard(s3, { bucket, distDir: built.distDir, config: localDashboardConfig(settings) });
    return { url: `${s3Url}/${bucket}/index.html`, bucket, build: built, files: uploaded.files, bytes: uploaded.bytes };
  } finally {
    s3.destroy();
  }
}
