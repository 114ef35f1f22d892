// The Notifier (aws-iot-device-sdk-v2 MQTT 3.1.1 client) against real brokers:
// outage and reconnect, bounded timeouts, bad input, the AWS IoT WebSocket/SigV4 path
// against a local TLS stand-in, configuration, and clean process exit.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import { fileURLToPath } from "node:url";
import type { IncomingMessage } from "node:http";
import { Aedes } from "aedes";
import { WebSocketServer, createWebSocketStream } from "ws";
import { silentLogger } from "../../lib/log/jsonLogger.ts";
import { MqttNotifier } from "../../lib/adapters/mqtt/MqttNotifier.ts";
import { DisabledNotifier, MAX_PAYLOAD_BYTES, RecordingNotifier, type PublishOutcome } from "../../lib/notify/notifier.ts";
import { ConfigError } from "../../lib/config/ConfigError.ts";
import { notifyConfigFromEnv } from "../../lib/adapters/mqtt/notifyConfig.ts";
import { createNotifier } from "../../lib/adapters/mqtt/getNotifier.ts";
import { subscribeNotifications } from "../../lib/notify/subscribe.ts";
import { canBind, identities, publisherNotifier, sleep, startBroker, TEST_TOPIC } from "./helpers.ts";

function failed(outcome: PublishOutcome): Extract<PublishOutcome, { ok: false }> {
  assert.equal(outcome.ok, false, `expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome as Extract<PublishOutcome, { ok: false }>;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

describe("Notifier outage and reconnect", () => {
  it("fails within the timeout without throwing while the broker is down, then delivers once it is back on the same port", async () => {
    let broker = await startBroker();
    const { tcpPort, wsPort } = broker;
    const timeoutMs = 1500;
    const notifier = publisherNotifier(broker, { timeoutMs, retryMinMs: 200, retryMaxMs: 800 });
    try {
      assert.equal((await notifier.publish(TEST_TOPIC, { phase: "before" })).ok, true);

      await broker.close();
      assert.equal(await canBind(tcpPort), true);

      const during = await timed(() => notifier.publish(TEST_TOPIC, { phase: "during" }));
      const outcome = failed(during.value);
      assert.ok(during.ms < timeoutMs + 300, `publish took ${during.ms} ms`);
      assert.ok(["error", "timeout", "unavailable"].includes(outcome.reason), outcome.reason);

      // A whole batch during the outage: bounded by one timeout, not one per message.
      const batch = await timed(() =>
        Promise.all(Array.from({ length: 25 }, (_, i) => notifier.publish(TEST_TOPIC, { phase: "during", i }))),
      );
      assert.ok(batch.value.every((o) => !o.ok), "nothing can succeed while the broker is down");
      assert.ok(batch.ms < timeoutMs + 300, `batch took ${batch.ms} ms`);

      broker = await startBroker({ tcpPort, wsPort });
      const sub = await subscribeNotifications({ url: broker.wsUrl, ...identities.dashboard, topics: "cryptoviz/#" });
      try {
        // Later publishes succeed: at the latest once the back-off (≤ retryMaxMs) has passed.
        const giveUpAt = performance.now() + 5000;
        let seq = 0;
        let last: PublishOutcome;
        do {
          last = await notifier.publish(TEST_TOPIC, { phase: "after", seq: ++seq });
          if (!last.ok) await sleep(100);
        } while (!last.ok && performance.now() < giveUpAt);
        assert.equal(last.ok, true, `still failing after the broker came back: ${JSON.stringify(last)}`);
        const got = await sub.waitFor((n) => (n.payload as { seq?: number }).seq === seq, 3000);
        assert.deepEqual(got.payload, { phase: "after", seq });
        assert.ok(!sub.received.some((n) => (n.payload as { phase?: string }).phase === "during"), "failed publishes are not delivered late");
      } finally {
        await sub.close();
      }

      const stats = notifier.stats();
      assert.equal(stats.connects, 2, "one connection before, a new one after the outage");
      assert.ok(stats.failed >= 26, `failures counted: ${JSON.stringify(stats)}`);
      assert.ok(stats.published >= 2);
    } finally {
      await notifier.close();
      await broker.close();
    }
  });

  it("reconnects on the very next publishes after a broker restart, without waiting (stale connection retried once)", async () => {
    let broker = await startBroker();
    const { tcpPort, wsPort } = broker;
    const notifier = publisherNotifier(broker);
    try {
      assert.equal((await notifier.publish(TEST_TOPIC, { n: 1 })).ok, true);
      await broker.close();
      broker = await startBroker({ tcpPort, wsPort });
      const sub = await subscribeNotifications({ url: broker.tcpUrl, ...identities.publisher, topics: TEST_TOPIC });
      try {
        // Whether or not the client has noticed the drop yet, these go out on a fresh connection.
        const outcomes = await Promise.all([notifier.publish(TEST_TOPIC, { n: 2 }), notifier.publish(TEST_TOPIC, { n: 3 })]);
        for (const outcome of outcomes) {
          assert.equal(outcome.ok, true, JSON.stringify(outcome));
          assert.ok(outcome.durationMs < 500, `took ${outcome.durationMs} ms`);
        }
        await sub.waitFor((n) => (n.payload as { n: number }).n === 3);
        await sub.waitFor((n) => (n.payload as { n: number }).n === 2);
        assert.equal(notifier.stats().connects, 2);
      } finally {
        await sub.close();
      }
    } finally {
      await notifier.close();
      await broker.close();
    }
  });

  it("times out against a server that accepts TCP but never answers CONNECT", async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const notifier = publisherNotifier({ tcpPort: port }, { timeoutMs: 600, retryMinMs: 5000 });
    try {
      const first = await timed(() => notifier.publish(TEST_TOPIC, { x: 1 }));
      assert.equal(failed(first.value).reason, "timeout");
      assert.ok(first.ms >= 550 && first.ms < 1000, `took ${first.ms} ms`);
      // Inside the back-off window: immediate "unavailable", no new connection attempt.
      const second = await timed(() => notifier.publish(TEST_TOPIC, { x: 2 }));
      assert.equal(failed(second.value).reason, "unavailable");
      assert.ok(second.ms < 50, `took ${second.ms} ms`);
    } finally {
      await notifier.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("times out when the broker accepts the connection but never acknowledges the PUBLISH", async () => {
    const broker = await Aedes.createBroker({
      authorizePublish: () => {}, // never calls back: no PUBACK
    });
    const server = net.createServer((s) => {
      s.on("error", () => {});
      broker.handle(s);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const notifier = publisherNotifier({ tcpPort: port }, { timeoutMs: 700 });
    try {
      const { value, ms } = await timed(() => notifier.publish(TEST_TOPIC, { x: 1 }));
      const outcome = failed(value);
      assert.equal(outcome.reason, "timeout");
      assert.match(outcome.error, /PUBACK/);
      assert.ok(ms < 1000, `took ${ms} ms`);
    } finally {
      await notifier.close();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("Notifier input and lifecycle", () => {
  it("reports unpublishable input as 'invalid' without connecting", async () => {
    const notifier = publisherNotifier({ tcpPort: 1 }); // nothing listens on port 1: must not matter
    try {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const cases: Array<[string, unknown, RegExp]> = [
        [TEST_TOPIC, circular, /not JSON-serialisable/],
        [TEST_TOPIC, 10n, /not JSON-serialisable/],
        [TEST_TOPIC, undefined, /not JSON-serialisable/],
        [TEST_TOPIC, { blob: "x".repeat(MAX_PAYLOAD_BYTES) }, /above the 131072-byte limit/],
        ["cryptoviz/price-feed/+/notify/data", {}, /must not contain/],
        ["", {}, /non-empty/],
      ];
      for (const [topic, payload, error] of cases) {
        const outcome = failed(await notifier.publish(topic, payload));
        assert.equal(outcome.reason, "invalid");
        assert.match(outcome.error, error);
      }
      assert.equal(notifier.stats().connects, 0);
      assert.equal(notifier.stats().failures.invalid, cases.length);
    } finally {
      await notifier.close();
    }
  });

  it("returns 'closed' after close() and lets a closed notifier be closed again", async () => {
    const broker = await startBroker();
    const notifier = publisherNotifier(broker);
    try {
      assert.equal((await notifier.publish(TEST_TOPIC, {})).ok, true);
      assert.equal(notifier.connected, true);
      await notifier.close();
      assert.equal(notifier.connected, false);
      assert.equal(failed(await notifier.publish(TEST_TOPIC, {})).reason, "closed");
      await notifier.close();
    } finally {
      await broker.close();
    }
  });

  const fixture = fileURLToPath(new URL("./fixtures/publish-once.ts", import.meta.url));
  function runChild(port: number, waitForStdin: boolean) {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fixture, String(port), identities.publisher.username, identities.publisher.password, TEST_TOPIC],
      { env: { ...process.env, ...(waitForStdin ? { WAIT_FOR_STDIN: "1" } : {}) }, stdio: ["pipe", "pipe", "inherit"] },
    );
    const lines: PublishOutcome[] = [];
    let buffered = "";
    const lineListeners: Array<() => void> = [];
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      let i;
      while ((i = buffered.indexOf("\n")) >= 0) {
        lines.push(JSON.parse(buffered.slice(0, i)) as PublishOutcome);
        buffered = buffered.slice(i + 1);
        lineListeners.splice(0).forEach((f) => f());
      }
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const nextLine = (): Promise<void> => new Promise((resolve) => lineListeners.push(resolve));
    return { child, lines, exited, nextLine };
  }
  async function exitsWithin<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: process still running after ${ms} ms`)), ms);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  it("lets the process exit by itself after close() (aws-crt handles released)", async () => {
    const broker = await startBroker();
    try {
      const run = runChild(broker.tcpPort, false);
      try {
        const code = await exitsWithin(run.exited, 10_000, "after a publish and close()");
        assert.equal(code, 0);
        assert.equal(run.lines[0]?.ok, true, JSON.stringify(run.lines));
      } finally {
        run.child.kill();
      }
    } finally {
      await broker.close();
    }
  });

  it("lets the process exit by itself after close() on a connection the broker dropped", async () => {
    const broker = await startBroker();
    const run = runChild(broker.tcpPort, true);
    try {
      await run.nextLine();
      assert.equal(run.lines[0]?.ok, true, JSON.stringify(run.lines));
      await broker.close();
      run.child.stdin.end("go\n");
      const code = await exitsWithin(run.exited, 10_000, "after an outage and close()");
      assert.equal(code, 0);
      assert.equal(run.lines[1]?.ok, false, JSON.stringify(run.lines));
    } finally {
      run.child.kill();
      await broker.close();
    }
  });
});

describe("AWS IoT transport (WebSockets + SigV4), against a local TLS stand-in", () => {
  // Cannot reach IoT Core here. The stand-in is a TLS WebSocket server with a committed
  // self-signed certificate for 127.0.0.1/localhost that hands the stream to an aedes broker
  // accepting anyone: it proves the builder's TLS + WebSocket + signed handshake + MQTT 3.1.1
  // path end to end, not IoT Core's verification of the signature or its policies.
  it("connects over wss:// with a SigV4-signed /mqtt upgrade and publishes QoS 1", async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = "AKIDLOCALTEST";
    process.env.AWS_SECRET_ACCESS_KEY = "local-secret";
    process.env.AWS_SESSION_TOKEN = "local-session-token";
    const cert = readFileSync(new URL("./fixtures/localhost-cert.pem", import.meta.url), "utf8");
    const key = readFileSync(new URL("./fixtures/localhost-key.pem", import.meta.url), "utf8");
    const broker = await Aedes.createBroker();
    const published: Array<{ topic: string; payload: string }> = [];
    broker.on("publish", (packet, client) => {
      if (client) published.push({ topic: packet.topic, payload: packet.payload.toString() });
    });
    const upgrades: IncomingMessage[] = [];
    const server = https.createServer({ cert, key });
    const wss = new WebSocketServer({ server, handleProtocols: (p) => (p.has("mqtt") ? "mqtt" : false) });
    wss.on("connection", (ws, req) => {
      upgrades.push(req);
      broker.handle(createWebSocketStream(ws), req);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    const notifier = new MqttNotifier({
      transport: { kind: "aws", endpoint: "127.0.0.1", region: "eu-west-1", port, caPem: cert },
      timeoutMs: 3000,
      logger: silentLogger,
    });
    try {
      const outcome = await notifier.publish(TEST_TOPIC, { via: "iot" });
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.deepEqual(published, [{ topic: TEST_TOPIC, payload: '{"via":"iot"}' }]);

      const req = upgrades[0];
      assert.ok(req);
      const url = new URL(req.url ?? "", "https://127.0.0.1");
      assert.equal(url.pathname, "/mqtt");
      assert.equal(req.headers["sec-websocket-protocol"], "mqtt");
      assert.equal(url.searchParams.get("X-Amz-Algorithm"), "AWS4-HMAC-SHA256");
      assert.match(url.searchParams.get("X-Amz-Credential") ?? "", /^AKIDLOCALTEST\/\d{8}\/eu-west-1\/iotdevicegateway\/aws4_request$/);
      assert.match(url.searchParams.get("X-Amz-Signature") ?? "", /^[0-9a-f]{64}$/);
      assert.equal(url.searchParams.get("X-Amz-Security-Token"), "local-session-token");
    } finally {
      await notifier.close();
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      process.env = saved;
    }
  });

  it("fails gracefully (no throw, bounded) when the IoT endpoint is unreachable", async () => {
    const port = await (async () => {
      const s = net.createServer();
      await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
      const p = (s.address() as net.AddressInfo).port;
      await new Promise<void>((resolve) => s.close(() => resolve()));
      return p;
    })();
    const notifier = new MqttNotifier({
      transport: { kind: "aws", endpoint: "127.0.0.1", region: "eu-west-1", port },
      timeoutMs: 1500,
      logger: silentLogger,
    });
    try {
      const { value, ms } = await timed(() => notifier.publish(TEST_TOPIC, {}));
      assert.ok(["error", "timeout"].includes(failed(value).reason));
      assert.ok(ms < 1800, `took ${ms} ms`);
    } finally {
      await notifier.close();
    }
  });
});

describe("notify configuration and test doubles", () => {
  it("reads the local transport from the environment", () => {
    assert.deepEqual(
      notifyConfigFromEnv({
        NOTIFY_MQTT_URL: "mqtt://127.0.0.1:1883",
        NOTIFY_MQTT_USERNAME: "pub",
        NOTIFY_MQTT_PASSWORD: "pw",
        NOTIFY_TIMEOUT_MS: "2500",
      }),
      { transport: { kind: "local", host: "127.0.0.1", port: 1883, username: "pub", password: "pw" }, timeoutMs: 2500 },
    );
  });

  it("reads the AWS transport from the environment", () => {
    assert.deepEqual(
      notifyConfigFromEnv({ NOTIFY_IOT_ENDPOINT: "abc123-ats.iot.eu-west-1.amazonaws.com", AWS_REGION: "eu-west-1" }),
      { transport: { kind: "aws", endpoint: "abc123-ats.iot.eu-west-1.amazonaws.com", region: "eu-west-1" }, timeoutMs: undefined },
    );
    assert.deepEqual(notifyConfigFromEnv({}), { transport: { kind: "none" } });
  });

  const bad: Array<[NodeJS.ProcessEnv, string]> = [
    [{ NOTIFY_TRANSPORT: "carrier-pigeon" }, "NOTIFY_TRANSPORT"],
    [{ NOTIFY_TRANSPORT: "local" }, "NOTIFY_MQTT_URL"],
    [{ NOTIFY_MQTT_URL: "http://127.0.0.1:1883", NOTIFY_MQTT_USERNAME: "u", NOTIFY_MQTT_PASSWORD: "p" }, "NOTIFY_MQTT_URL"],
    [{ NOTIFY_MQTT_URL: "mqtt://127.0.0.1:1883", NOTIFY_MQTT_PASSWORD: "p" }, "NOTIFY_MQTT_USERNAME"],
    [{ NOTIFY_TRANSPORT: "aws", AWS_REGION: "eu-west-1" }, "NOTIFY_IOT_ENDPOINT"],
    [{ NOTIFY_IOT_ENDPOINT: "https://abc.iot.eu-west-1.amazonaws.com", AWS_REGION: "eu-west-1" }, "NOTIFY_IOT_ENDPOINT"],
    [{ NOTIFY_IOT_ENDPOINT: "abc.iot.eu-west-1.amazonaws.com" }, "AWS_REGION"],
    [{ NOTIFY_TRANSPORT: "none", NOTIFY_TIMEOUT_MS: "soon" }, "NOTIFY_TIMEOUT_MS"],
  ];
  for (const [env, variable] of bad) {
    it(`names ${variable} when it is wrong (${JSON.stringify(env)})`, () => {
      assert.throws(
        () => notifyConfigFromEnv(env),
        (err: unknown) => err instanceof ConfigError && err.variable === variable && err.message.startsWith(variable),
      );
    });
  }

  it("createNotifier: 'none' gives a notifier that never connects", async () => {
    const notifier = createNotifier({ transport: { kind: "none" } });
    assert.ok(notifier instanceof DisabledNotifier);
    assert.equal(failed(await notifier.publish(TEST_TOPIC, {})).reason, "disabled");
  });

  it("RecordingNotifier records publishes and can simulate an outage", async () => {
    const recorder = new RecordingNotifier();
    assert.equal((await recorder.publish(TEST_TOPIC, { a: 1 })).ok, true);
    recorder.failWith = "unavailable";
    assert.equal(failed(await recorder.publish(TEST_TOPIC, { a: 2 })).reason, "unavailable");
    assert.deepEqual(recorder.published, [{ topic: TEST_TOPIC, payload: { a: 1 } }]);
    assert.deepEqual(recorder.stats(), { published: 1, failed: 1, failures: { unavailable: 1 }, connects: 0 });
  });
});
