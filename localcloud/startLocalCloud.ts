import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startInThread, type ThreadMemory } from "./threads/startInThread.ts";
import { startMqttBroker } from "./mqtt/broker.ts";
import type { LocalCloudConfig } from "./LocalCloudConfig.ts";
import { assertPortsFree } from "./portCheck.ts";

export interface LocalCloud {
  sqsS3Url: string;
  searchUrl: string;
  mqttTcpUrl: string;
  mqttWsUrl: string;
  /** Messages in flight when the previous run stopped, visible again now. */
  releasedInFlight: number;
  /** Stops the MQTT broker and starts a fresh one on the same ports (sessions and subscriptions gone): a broker restart, for chaos checks. */
  restartMqtt(): Promise<void>;
  /** Each part thread's memory, by part: what the launcher's own `process.memoryUsage()` leaves out. */
  threadMemory(): Promise<Record<string, ThreadMemory>>;
  close(): Promise<void>;
}

/**
 * Starts the embedded local cloud: SQS + S3 (fauxqs), the OpenSearch-compatible
 * endpoint and the MQTT broker, all on loopback unless CRYPTOVIZ_HOST says
 * otherwise. If any part fails to start, the parts already started are closed.
 */
export async function startLocalCloud(config: LocalCloudConfig, options: { clean?: boolean } = {}): Promise<LocalCloud> {
  const { ports, host } = config;
  await assertPortsFree(host, [ports.sqsS3, ports.search, ports.mqttTcp, ports.mqttWs]);
  if (options.clean) rmSync(config.dataDir, { recursive: true, force: true });
  mkdirSync(config.dataDir, { recursive: true });

  const started: Array<{ close(): Promise<void> }> = [];
  const closeAll = async () => {
    for (const part of started.reverse()) await part.close().catch(() => undefined);
  };
  try {
    // Each in a thread of its own (localcloud/threads/startInThread.ts): the queues' SQLite writes are
    // synchronous, and at tens of thousands of trades a second the search endpoint needs a core.
    const sqsS3Part = await startInThread<{ url: string; releasedInFlight: number }>(fileURLToPath(new URL("./threads/sqsS3.worker.ts", import.meta.url)), { host, port: ports.sqsS3.port, region: config.region, dataDir: config.dataDir });
    started.push(sqsS3Part);
    const sqsS3 = sqsS3Part.ready;
    const searchPart = await startInThread<{ url: string }>(fileURLToPath(new URL("./threads/search.worker.ts", import.meta.url)), { host, port: ports.search.port, dataDir: join(config.dataDir, "search") });
    started.push(searchPart);
    const search = searchPart.ready;
    const startMqtt = () => startMqttBroker({ host, tcpPort: ports.mqttTcp.port, wsPort: ports.mqttWs.port, identities: config.identities });
    let mqtt = await startMqtt();
    // Closed through this wrapper, so a restarted broker is the one closed.
    started.push({ close: () => mqtt.close() });
    let restarting: Promise<void> | undefined;
    const restartMqtt = () =>
      (restarting ??= (async () => {
        await mqtt.close();
        mqtt = await startMqtt();
      })().finally(() => (restarting = undefined)));
    const threadMemory = async () => ({ "sqs+s3": await sqsS3Part.memory(), search: await searchPart.memory() });
    return { sqsS3Url: sqsS3.url, releasedInFlight: sqsS3.releasedInFlight, searchUrl: search.url, mqttTcpUrl: mqtt.tcpUrl, mqttWsUrl: mqtt.wsUrl, restartMqtt, threadMemory, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
