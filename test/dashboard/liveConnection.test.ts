// The dashboard's MQTT connection (dashboard/src/live/liveConnection.ts) run in Node
// against the local broker over WebSocket: what its "live" state promises.
import assert from "node:assert/strict";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import mqtt, { type MqttClient } from "mqtt";
import { mqttCredentials } from "../../contracts/dashboardConfig.ts";
import { LiveConnection, type ConnectionState } from "../../dashboard/src/live/liveConnection.ts";
import { deployedDashboardConfig } from "../../lib/dashboard/deployedDashboardConfig.ts";
import { silentLogger } from "../../lib/log/jsonLogger.ts";
import { startMqttBroker, type MqttBroker } from "../../localcloud/mqtt/broker.ts";
import { identities, startBroker } from "../notify/helpers.ts";

// The module expects a browser's window and navigator; Node 20 has neither.
const g = globalThis as Record<string, unknown>;
if (g.window === undefined) g.window = new EventTarget();
if (g.navigator === undefined) g.navigator = { onLine: true };

const TOPIC = "cryptoviz/price-feed/ETH/notify/data";

/** A TCP relay whose client→broker direction is `delayMs` slow (order kept): a long uplink. */
async function slowUplink(target: number, delayMs: number): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((client) => {
    connections++;
    const upstream = connect(target, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {});
    }
    client.on("data", (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("dashboard live connection (against the local broker)", () => {
  let broker: MqttBroker;
  let publisher: MqttClient;

  before(async () => {
    broker = await startBroker();
    publisher = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.tcpPort}`, { ...identities.publisher, protocolVersion: 4 });
  });
  after(async () => {
    await publisher?.endAsync();
    await broker?.close();
  });

  it("says live only once its subscriptions are acknowledged: a message published at that moment arrives", async () => {
    // With a 300 ms uplink the SUBSCRIBE reaches the broker 300 ms after CONNACK; a
    // connection that called itself live on CONNACK would miss this publish.
    const link = await slowUplink(broker.wsPort, 300);
    const received: unknown[] = [];
    let connection: LiveConnection | undefined;
    try {
      const live = new Promise<void>((resolve) => {
        connection = new LiveConnection({
          url: `ws://127.0.0.1:${link.port}/mqtt`,
          ...identities.dashboard,
          filters: ["cryptoviz/price-feed/+/notify/data"],
          onState: (state) => {
            if (state.kind === "live") resolve();
          },
          onMessage: (topic, payload) => received.push({ topic, payload }),
        });
      });
      await live;
      await publisher.publishAsync(TOPIC, JSON.stringify({ n: 1 }), { qos: 1 });
      const deadline = Date.now() + 2_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(received, [{ topic: TOPIC, payload: { n: 1 } }]);
    } finally {
      connection?.close();
      await link.close();
    }
  });

  it("offline, then online: a fresh connection before it says live again (the old socket may have lost frames)", async () => {
    const link = await slowUplink(broker.wsPort, 0);
    const states: ConnectionState[] = [];
    const received: unknown[] = [];
    const connection = new LiveConnection({
      url: `ws://127.0.0.1:${link.port}/mqtt`,
      ...identities.dashboard,
      filters: ["cryptoviz/price-feed/+/notify/data"],
      onState: (state) => states.push(state),
      onMessage: (topic, payload) => received.push({ topic, payload }),
    });
    const nav = g.navigator as { onLine: boolean };
    const until = async (what: string, done: () => boolean) => {
      const deadline = Date.now() + 3_000;
      while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(done(), `${what}: ${JSON.stringify(states)}`);
    };
    try {
      await until("live", () => states.at(-1)?.kind === "live");
      nav.onLine = false;
      (g.window as EventTarget).dispatchEvent(new Event("offline"));
      assert.equal(states.at(-1)?.kind, "offline");
      nav.onLine = true;
      const before = states.length;
      (g.window as EventTarget).dispatchEvent(new Event("online"));
      await until("live again", () => states.length > before + 1 && states.at(-1)?.kind === "live");
      assert.deepEqual(states.slice(before).map((s) => s.kind), ["reconnecting", "live"]);
      assert.equal(link.connections(), 2, "a second connection, not the old socket");
      await publisher.publishAsync(TOPIC, JSON.stringify({ n: 2 }), { qos: 1 });
      await until("the message", () => received.length > 0);
      assert.deepEqual(received, [{ topic: TOPIC, payload: { n: 2 } }]);
    } finally {
      nav.onLine = true;
      connection.close();
      await link.close();
    }
  });

  it("a subscription the broker refuses is not live: it says why and retries", async () => {
    const states: ConnectionState[] = [];
    const connection = new LiveConnection({
      url: broker.wsUrl,
      ...identities.dashboard,
      filters: ["cryptoviz/price-feed/+/notify/data", "elsewhere/#"], // outside the namespace
      onState: (state) => states.push(state),
      onMessage: () => {},
    });
    try {
      const deadline = Date.now() + 3_000;
      while (!states.some((s) => s.kind === "reconnecting") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(!states.some((s) => s.kind === "live"), `never live: ${JSON.stringify(states)}`);
      const retrying = states.find((s) => s.kind === "reconnecting");
      assert.ok(retrying && retrying.kind === "reconnecting", `retries: ${JSON.stringify(states)}`);
      assert.match(retrying.reason, /refused the subscription to .*elsewhere\/#/);
    } finally {
      connection.close();
    }
  });

  it("connects with the deployed config's identity: the sign-in token as password, read again at each connect", async () => {
    // IoT Core's custom authorizer reads the token from the password; the local broker
    // stands in with an account whose password is that token.
    let token = "eyJhbGciOiJSUzI1NiJ9.first.sig";
    const deployed = deployedDashboardConfig({
      outputs: { HttpApiUrl: "https://api.example", OidcIssuer: "https://id.example", DashboardUserPoolClientId: "c", DashboardLogoutEndpoint: "https://x.auth.eu-west-1.amazoncognito.com/logout" },
      iotEndpoint: "a1-ats.iot.eu-west-1.amazonaws.com",
      iotAuthorizerName: "cv-dashboard",
    });
    const credentials = mqttCredentials(deployed, () => token);
    assert.equal(typeof credentials.username, "string", "MQTT 3.1.1 sends no password without a username");
    const tokenBroker = await startMqttBroker({
      tcpPort: 0,
      wsPort: 0,
      identities: { publisher: identities.publisher, dashboard: { username: credentials.username!, password: token } },
      logger: silentLogger,
    });
    const states: ConnectionState[] = [];
    const connection = new LiveConnection({ url: tokenBroker.wsUrl, ...credentials, filters: ["cryptoviz/price-feed/+/notify/data"], onState: (s) => states.push(s), onMessage: () => {} });
    try {
      const deadline = Date.now() + 3_000;
      while (!states.some((s) => s.kind === "live") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(states.some((s) => s.kind === "live"), `live: ${JSON.stringify(states)}`);
    } finally {
      connection.close();
      await tokenBroker.close();
    }
    token = "rotated";
    assert.equal(typeof credentials.password === "function" ? credentials.password() : credentials.password, "rotated", "the token is read at each connect, not copied once");
  });
});
