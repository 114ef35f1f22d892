import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePorts } from "./freePorts.ts";

export interface LocalCloudEnv {
  env: Record<string, string>;
  ports: { sqsS3: number; search: number; mqtt: number; mqttWs: number; api: number; lambda: number; jetstream: number };
  dataDir: string;
}

/** Environment for a whole local cloud on free ports and a fresh data directory. */
export async function localCloudEnv(): Promise<LocalCloudEnv> {
  const [sqsS3, search, mqtt, mqttWs, api, lambda, jetstream] = (await freePorts(7)) as [number, number, number, number, number, number, number];
  const dataDir = mkdtempSync(join(tmpdir(), "cryptoviz-data-"));
  // A run at 20,000 trades/s leaves gigabytes: repeated runs filled this disk once.
  // CRYPTOVIZ_KEEP_DATA=1 keeps the directory for a person to look into.
  if (!process.env.CRYPTOVIZ_KEEP_DATA) process.once("exit", () => removeQuietly(dataDir));
  return {
    ports: { sqsS3, search, mqtt, mqttWs, api, lambda, jetstream },
    dataDir,
    env: {
      CRYPTOVIZ_SQS_S3_PORT: String(sqsS3),
      CRYPTOVIZ_SEARCH_PORT: String(search),
      CRYPTOVIZ_MQTT_PORT: String(mqtt),
      CRYPTOVIZ_MQTT_WS_PORT: String(mqttWs),
      CRYPTOVIZ_API_PORT: String(api),
      CRYPTOVIZ_LAMBDA_PORT: String(lambda),
      // The Jetstream simulator of --demo: its own port too, so parallel runs do not meet on 6008.
      CRYPTOVIZ_JETSTREAM_PORT: String(jetstream),
      CRYPTOVIZ_DATA_DIR: dataDir,
    },
  };
}

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // A process of the run still writing into it: the OS's tmp cleaning will get it.
  }
}
