// The local broker against real clients: mqtt.js (as the dashboard uses it, over
// ws:// and TCP) and aws-iot-device-sdk-v2 through the Notifier (as Lambdas use it).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import WebSocket from "ws";
import type { MqttBroker } from "../../../localcloud/mqtt/broker.ts";
import { startMqttBroker } from "../../../localcloud/mqtt/broker.ts";
import { silentLogger } from "../../../lib/log/jsonLogger.ts";
import { connectSubscriber, subscribeNotifications, SubscriptionRefusedError } from "../../../lib/notify/subscribe.ts";
import { priceFeedDataTopic, priceFeedFilter, sentimentFilter, sentimentRefreshTopic, socialFilter } from "../../../contracts/topics.ts";
import { canBind, freePort, identities, publisherNotifier, sleep, startBroker, TEST_TOPIC } from "../../notify/helpers.ts";

describe("local MQTT broker", () => {
  let broker: MqttBroker;
  before(async () => {
    broker = await startBroker();
  });
  after(async () => {
    await broker.close();
  });

  it("prints usable URLs bound to 127.0.0.1", () => {
    assert.equal(broker.tcpUrl, `mqtt://127.0.0.1:${broker.tcpPort}`);
    assert.equal(broker.wsUrl, `ws://127.0.0.1:${broker.wsPort}/mqtt`);
    assert.notEqual(broker.tcpPort, broker.wsPort);
  });

  it("delivers a Notifier (aws-iot-device-sdk-v2) publish to a WebSocket dashboard subscriber", async () => {
    const sub = await subscribeNotifications({ url: broker.wsUrl, ...identities.dashboard, topics: "cryptoviz/#" });
    const notifier = publisherNotifier(broker);
    try {
      const topic = priceFeedDataTopic("eth");
      const outcome = await notifier.publish(topic, { symbol: "ETH", close: 3120.5, seq: 1 });
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      const got = await sub.waitFor((n) => n.topic === topic, 3000);
      assert.deepEqual(got.payload, { symbol: "ETH", close: 3120.5, seq: 1 });
      assert.equal(notifier.stats().published, 1);
    } finally {
      await notifier.close();
      await sub.close();
    }
  });

  it("negotiates the mqtt WebSocket subprotocol on /mqtt and refuses other paths", async () => {
    const ws = new WebSocket(broker.wsUrl, "mqtt");
    const protocol = await new Promise<string>((resolve, reject) => {
      ws.once("open", () => resolve(ws.protocol));
      ws.once("error", reject);
    });
    assert.equal(protocol, "mqtt");
    ws.terminate();

    const wrongPath = new WebSocket(`ws://127.0.0.1:${broker.wsPort}/other`, "mqtt");
    await new Promise<void>((resolve) => {
      wrongPath.once("error", () => resolve());
      wrongPath.once("open", () => assert.fail("upgrade on /other must be refused"));
    });
  });

  it("refuses a dashboard publish: its connection is closed and no subscriber gets the message", async () => {
    // The publisher identity subscribes too, to be sure nobody at all receives it.
    const watchers = await Promise.all([
      subscribeNotifications({ url: broker.wsUrl, ...identities.dashboard, topics: "cryptoviz/#" }),
      subscribeNotifications({ url: broker.tcpUrl, ...identities.publisher, topics: "cryptoviz/#" }),
    ]);
    const dashboard = await connectSubscriber({ url: broker.wsUrl, ...identities.dashboard });
    try {
      const closed = new Promise<void>((resolve) => dashboard.once("close", () => resolve()));
      const publish = dashboard.publishAsync(TEST_TOPIC, JSON.stringify({ forged: true }), { qos: 1 });
      const publishResult = publish.then(
        () => "acked",
        (err: Error) => `rejected: ${err.message}`,
      );
      await closed; // MQTT 3.1.1 has no refusal code for PUBLISH: the broker drops the connection
      assert.equal(dashboard.connected, false);
      // mqtt.js keeps the unacknowledged QoS 1 publish for a resend until the client ends.
      await dashboard.endAsync(true);
      assert.equal(await publishResult, "rejected: Connection closed", "the publish must never be acknowledged");
      // The dashboard identity can still subscribe (watchers[0]); prove the path is live with a real message.
      const notifier = publisherNotifier(broker);
      try {
        assert.equal((await notifier.publish(TEST_TOPIC, { genuine: true })).ok, true);
      } finally {
        await notifier.close();
      }
      for (const w of watchers) {
        await w.waitFor((n) => n.topic === TEST_TOPIC, 3000);
        assert.deepEqual(
          w.received.map((n) => n.payload),
          [{ genuine: true }],
          "only the publisher's message is delivered",
        );
      }
    } finally {
      await dashboard.endAsync(true);
      await Promise.all(watchers.map((w) => w.close()));
    }
  });

  it("refuses QoS 0 dashboard publishes over TCP as well", async () => {
    const watcher = await subscribeNotifications({ url: broker.tcpUrl, ...identities.publisher, topics: "cryptoviz/#" });
    const dashboard = await connectSubscriber({ url: broker.tcpUrl, ...identities.dashboard });
    try {
      const closed = new Promise<void>((resolve) => dashboard.once("close", () => resolve()));
      dashboard.publish(TEST_TOPIC, "qos0", { qos: 0 });
      await closed;
      await sleep(100);
      assert.equal(watcher.received.length, 0);
    } finally {
      await dashboard.endAsync(true);
      await watcher.close();
    }
  });

  it("lets the dashboard subscribe inside cryptoviz/# only", async () => {
    const ok = await subscribeNotifications({ url: broker.wsUrl, ...identities.dashboard, topics: [sentimentFilter(), priceFeedFilter(), socialFilter()] });
    await ok.close();
    for (const filter of ["#", "$SYS/#", "other/topic", "+/price-feed/BTC/notify/data"]) {
      await assert.rejects(
        subscribeNotifications({ url: broker.wsUrl, ...identities.dashboard, topics: ["cryptoviz/#", filter] }),
        (err: unknown) => err instanceof SubscriptionRefusedError && err.topic === filter,
        `subscription to ${filter} must be refused`,
      );
    }
  });

  it("lets the publisher identity subscribe and publish within cryptoviz/# only", async () => {
    const sub = await subscribeNotifications({ url: broker.tcpUrl, ...identities.publisher, topics: sentimentFilter("etf") });
    const pub = await connectSubscriber({ url: broker.tcpUrl, ...identities.publisher });
    try {
      await pub.publishAsync(sentimentRefreshTopic("etf"), JSON.stringify({ n: 1 }), { qos: 1 });
      assert.deepEqual((await sub.waitFor()).payload, { n: 1 });
      const closed = new Promise<void>((resolve) => pub.once("close", () => resolve()));
      pub.publish("elsewhere/topic", "x", { qos: 1 });
      await closed; // outside the namespace: refused like the dashboard's publish
    } finally {
      await pub.endAsync(true);
      await sub.close();
    }
  });

  const refusals: Array<[string, { username?: string; password?: string }, RegExp]> = [
    ["wrong password for the dashboard", { username: identities.dashboard.username, password: "wrong" }, /Bad username or password/],
    ["wrong password for the publisher", { username: identities.publisher.username, password: identities.dashboard.password }, /Bad username or password/],
    ["unknown user", { username: "mallory", password: "x" }, /Bad username or password/],
    ["no credentials", {}, /Not authorized/],
  ];
  for (const [label, creds, message] of refusals) {
    for (const transport of ["tcp", "ws"] as const) {
      it(`refuses ${label} over ${transport}`, async () => {
        const url = transport === "tcp" ? broker.tcpUrl : broker.wsUrl;
        await assert.rejects(
          connectSubscriber({ url, username: creds.username as string, password: creds.password as string }),
          message,
        );
      });
    }
  }

  it("reports a refused Notifier connection (wrong password) as an outcome, not a throw", async () => {
    const notifier = publisherNotifier(broker, {
      transport: { kind: "local", host: "127.0.0.1", port: broker.tcpPort, username: identities.publisher.username, password: "bad" },
    });
    try {
      const outcome = await notifier.publish(TEST_TOPIC, { x: 1 });
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.reason, "refused");
    } finally {
      await notifier.close();
    }
  });
});

describe("broker lifecycle", () => {
  it("close() drops connected clients and frees both ports: a new broker starts on the same ports", async () => {
    const first = await startBroker();
    const { tcpPort, wsPort } = first;
    const sub = await subscribeNotifications({ url: first.wsUrl, ...identities.dashboard, topics: "cryptoviz/#" });
    const notifier = publisherNotifier(first);
    assert.equal((await notifier.publish(TEST_TOPIC, { a: 1 })).ok, true);
    // A raw TCP connection that never sends CONNECT must not hold the port either.
    const idle = net.connect(tcpPort, "127.0.0.1");
    await new Promise((resolve) => idle.once("connect", resolve));
    const idleClosed = new Promise((resolve) => idle.once("close", resolve));
    const subClosed = new Promise<void>((resolve) => sub.client.once("close", () => resolve()));

    const t0 = performance.now();
    await first.close();
    const took = performance.now() - t0;
    assert.ok(took < 1000, `close took ${took} ms`);
    await Promise.all([idleClosed, subClosed]);
    assert.equal(await canBind(tcpPort), true, "TCP port freed");
    assert.equal(await canBind(wsPort), true, "WebSocket port freed");
    await first.close(); // idempotent

    const second = await startBroker({ tcpPort, wsPort });
    try {
      assert.equal(second.tcpPort, tcpPort);
      assert.equal(second.wsPort, wsPort);
      const sub2 = await subscribeNotifications({ url: second.wsUrl, ...identities.dashboard, topics: "cryptoviz/#" });
      await sub2.close();
    } finally {
      await notifier.close();
      await sub.close();
      await second.close();
    }
  });

  it("rejects with the port named when the TCP port is taken", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const wsPort = await freePort();
    try {
      await assert.rejects(startBroker({ tcpPort: taken, wsPort }), (err: Error) => {
        assert.match(err.message, new RegExp(`MQTT TCP port ${taken} on 127.0.0.1 is already in use`));
        return true;
      });
      assert.equal(await canBind(wsPort), true, "nothing half-started on the WebSocket port");
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("rejects with the port named when the WebSocket port is taken, releasing the TCP port", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const tcpPort = await freePort();
    try {
      await assert.rejects(startBroker({ tcpPort, wsPort: taken }), new RegExp(`MQTT WebSocket port ${taken} .*already in use`));
      assert.equal(await canBind(tcpPort), true, "TCP port released after the failed start");
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it("rejects identities without credentials, naming the identity", async () => {
    await assert.rejects(
      startMqttBroker({
        tcpPort: 0,
        wsPort: 0,
        identities: { publisher: identities.publisher, dashboard: { username: "d", password: "" } },
        logger: silentLogger,
      }),
      /identity "dashboard" needs a username and a password/,
    );
  });
});
