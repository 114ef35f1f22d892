// The dashboard outside `npm start`:
//   npm run dashboard:build [-- --force]              build if the sources changed; print what a first visit downloads
//   npm run dashboard:upload -- --bucket <name> --config <config.json> [--prefix <p>] [--endpoint <url>] [--region <r>]
// `upload` uses the AWS SDK's default credentials and region (real S3), or an
// endpoint (LocalStack, the local cloud: path-style). It builds first if needed.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { S3Client } from "@aws-sdk/client-s3";
import { parseConfig } from "../contracts/dashboardConfig.ts";
import { buildDashboard } from "../lib/dashboard/buildDashboard.ts";
import { bundleSizes } from "../lib/dashboard/bundleSizes.ts";
import { S3DashboardBucket } from "../lib/adapters/aws/S3DashboardBucket.ts";
import { uploadDashboard } from "../lib/dashboard/uploadDashboard.ts";

const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      force: { type: "boolean", default: false },
      bucket: { type: "string" },
      config: { type: "string" },
      prefix: { type: "string", default: "" },
      endpoint: { type: "string" },
      region: { type: "string" },
    },
  });
  const command = positionals[0];
  if (command !== "build" && command !== "upload") throw new Error(`unknown command "${command ?? ""}" (expected build or upload)`);
  // Validate the upload's inputs before spending a build on them.
  const config = command === "upload" ? loadConfig(values.config) : undefined;
  if (command === "upload" && !values.bucket) throw new Error("--bucket is required");

  const built = await buildDashboard({ force: values.force });
  console.log(`dashboard ${built.built ? `built in ${(built.ms / 1000).toFixed(1)} s` : "unchanged (not rebuilt)"}: ${built.distDir}`);
  const sizes = bundleSizes(built.distDir);
  for (const f of sizes.firstVisit) console.log(`  first visit  ${f.file.padEnd(36)} ${kB(f.bytes).padStart(9)}  gzip ${kB(f.gzip)}`);
  for (const f of sizes.onDemand) console.log(`  on demand    ${f.file.padEnd(36)} ${kB(f.bytes).padStart(9)}  gzip ${kB(f.gzip)}`);
  console.log(`  first visit total gzip ${kB(sizes.firstVisitGzip)} (+ config.json); on demand ${kB(sizes.onDemandGzip)}`);

  if (command === "upload") {
    const s3 = new S3Client({
      ...(values.region ? { region: values.region } : {}),
      ...(values.endpoint ? { endpoint: values.endpoint, forcePathStyle: true } : {}),
    });
    try {
      const result = await uploadDashboard(new S3DashboardBucket(s3, values.bucket!), { distDir: built.distDir, config: config!, prefix: values.prefix });
      console.log(`uploaded ${result.files} files (${kB(result.bytes)}) and config.json to s3://${values.bucket}/${values.prefix}`);
    } finally {
      s3.destroy();
    }
  }
}

function loadConfig(path: string | undefined) {
  if (!path) throw new Error("--config <config.json> is required (apiUrl, mqttUrl, auth; see contracts/dashboardConfig.ts)");
  return parseConfig(JSON.parse(readFileSync(path, "utf8")));
}

main().catch((error: unknown) => {
  console.error(`dashboard: ${(error as Error).message}`);
  process.exit(1);
});
