// The launcher's SIGUSR2 chaos hook (localcloud/cli.ts) calls LocalCloud.restartMqtt:
// a fresh broker on the same ports, so every client's session and subscriptions
// are gone and each must reconnect and subscribe again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import mqtt, { type MqttClient } from "mqtt";
import { readLocalCloudConfig } from "../../../localcloud/LocalCloudConfig.ts";
import { startLocalCloud, type LocalCloud } from "../../../localcloud/startLocalCloud.ts";
import { localCloudEnv } from "../../helpers/localCloudEnv.ts";

const TOPIC = "cryptoviz/price-feed/BTC/notify/data";

describe("local cloud: MQTT broker restart", () => {
  let cloud: LocalCloud;
  let identities: ReturnType<typeof readLocalCloudConfig>["identities"];

  before(async () => {
    const setup = await localCloudEnv();
    const config = readLocalCloudConfig(setup.env);
    identities = config.identities;
    cloud = await startLocalCloud(config);
  });
  after(async () => {
    await cloud?.close();
  });

  it("drops every client and serves again on the same ports, with no subscription surviving", async () => {
    const subscriber: MqttClient = await mqtt.connectAsync(cloud.mqttWsUrl, { ...identities.dashboard, protocolVersion: 4, reconnectPeriod: 0, clean: true });
    const publisher: MqttClient = await mqtt.connectAsync(cloud.mqttTcpUrl, { ...identities.publisher, protocolVersion: 4, reconnectPeriod: 0 });
    try {
      await subscriber.subscribeAsync(TOPIC, { qos: 1 });
      const dropped = Promise.all([subscriber, publisher].map((c) => new Promise<void>((resolve) => c.once("close", () => resolve()))));
      await cloud.restartMqtt();
      await dropped;
      // Same URLs, new broker: both reconnect, but only a renewed subscription receives.
      const received: string[] = [];
      subscriber.on("message", (_topic, payload) => received.push(payload.toString()));
      subscriber.reconnect();
      publisher.reconnect();
      await Promise.all([subscriber, publisher].map((c) => new Promise<void>((resolve) => c.once("connect", () => resolve()))));
      await publisher.publishAsync(TOPIC, "before resubscribing", { qos: 1 });
      await subscriber.subscribeAsync(TOPIC, { qos: 1 });
      await publisher.publishAsync(TOPIC, "after resubscribing", { qos: 1 });
      const deadline = Date.now() + 2_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(received, ["after resubscribing"]);
    } finally {
      subscriber.end(true);
      publisher.end(true);
    }
  });

  it("two restarts asked at once do not fight over the ports", async () => {
    await Promise.all([cloud.restartMqtt(), cloud.restartMqtt()]);
    const client = await mqtt.connectAsync(cloud.mqttTcpUrl, { ...identities.publisher, protocolVersion: 4, reconnectPeriod: 0 });
    await client.endAsync();
  });
});
