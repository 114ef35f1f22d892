// Shared set-up for the MQTT tests: identities, a broker on free ports, a notifier
// (aws-iot-device-sdk-v2) pointed at it, and a free-port finder.
import net from "node:net";
import { startMqttBroker, type MqttBroker } from "../../localcloud/mqtt/broker.ts";
import { silentLogger } from "../../lib/log/jsonLogger.ts";
import { MqttNotifier, type MqttNotifierOptions } from "../../lib/adapters/mqtt/MqttNotifier.ts";

export const identities = {
  publisher: { username: "cryptoviz-publisher", password: "pub-secret-1" },
  dashboard: { username: "cryptoviz-dashboard", password: "dash-secret-2" },
};

export function startBroker(ports: { tcpPort?: number; wsPort?: number } = {}): Promise<MqttBroker> {
  return startMqttBroker({
    tcpPort: ports.tcpPort ?? 0,
    wsPort: ports.wsPort ?? 0,
    identities,
    logger: silentLogger,
  });
}

export function publisherNotifier(broker: { tcpPort: number }, opts: Partial<MqttNotifierOptions> = {}): MqttNotifier {
  return new MqttNotifier({
    transport: { kind: "local", host: "127.0.0.1", port: broker.tcpPort, ...identities.publisher },
    timeoutMs: 2000,
    logger: silentLogger,
    ...opts,
  });
}

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves true if `port` can be bound on 127.0.0.1 right now (and releases it). */
export async function canBind(port: number): Promise<boolean> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
  } catch {
    return false;
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return true;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const TEST_TOPIC = "cryptoviz/price-feed/BTC/notify/refresh";
