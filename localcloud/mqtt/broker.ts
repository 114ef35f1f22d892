// Local MQTT broker for the embedded local cloud: aedes (MQTT 3.1.1) over TCP for
// publishers (Lambda consumers through aws-iot-device-sdk-v2) and over WebSocket
// (`ws://host:port/mqtt`, subprotocol `mqtt`) for the browser dashboard.
//
// Two identities, with the same rights as the IoT Core policies in AWS:
//   publisher  – may publish and subscribe within `cryptoviz/#`
//   dashboard  – may only subscribe within `cryptoviz/#`
// Unknown users and wrong passwords get CONNACK 4 (bad username or password); a
// connection without credentials gets CONNACK 5 (not authorized).
// An unauthorised PUBLISH cannot be answered with an error in MQTT 3.1.1 (no reason
// codes), so aedes closes the connection (MQTT-3.3.5-2): the client sees its
// connection drop and the message is never routed. An unauthorised SUBSCRIBE gets
// SUBACK return code 0x80 (failure) and the connection stays open.

import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { Aedes } from "aedes";
import type { AuthenticateError, AuthErrorCode, Client, PublishPacket, Subscription } from "aedes";
import { WebSocketServer, createWebSocketStream } from "ws";
import { jsonLogger } from "../../lib/log/jsonLogger.ts";
import type { LogSink } from "../../lib/log/LogSink.ts";

export interface MqttIdentity {
  username: string;
  password: string;
}

export interface MqttBrokerOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** MQTT over TCP; 0 = any free port. */
  tcpPort: number;
  /** MQTT over WebSocket (path /mqtt); 0 = any free port. */
  wsPort: number;
  identities: { publisher: MqttIdentity; dashboard: MqttIdentity };
  logger?: LogSink;
}

export interface MqttBroker {
  tcpUrl: string;
  wsUrl: string;
  tcpPort: number;
  wsPort: number;
  close(): Promise<void>;
}

export const MQTT_WS_PATH = "/mqtt";
export const TOPIC_NAMESPACE = "cryptoviz";

type Role = "publisher" | "dashboard";

/** True for a topic name or filter that stays inside `cryptoviz/#`. */
export function inNamespace(topic: string): boolean {
  return topic === TOPIC_NAMESPACE || topic.startsWith(TOPIC_NAMESPACE + "/");
}

function digest(value: string | Buffer): Buffer {
  return createHash("sha256").update(value).digest();
}

// CONNACK return codes (aedes declares them as an ambient const enum, unusable here).
const BAD_USERNAME_OR_PASSWORD = 4 as AuthErrorCode;
const NOT_AUTHORIZED = 5 as AuthErrorCode;

function authError(message: string, code: AuthErrorCode): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: code });
}

function listen(server: net.Server, port: number, host: string, label: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      server.off("listening", onListening);
      const what =
        err.code === "EADDRINUSE"
          ? `port ${port} on ${host} is already in use`
          : err.code === "EACCES"
            ? `permission denied for port ${port} on ${host}`
            : `cannot listen on ${host}:${port} (${err.code ?? err.message})`;
      reject(Object.assign(new Error(`MQTT ${label} ${what}`), { code: err.code, port }));
    };
    const onListening = (): void => {
      server.off("error", onError);
      resolve((server.address() as net.AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

function formatHostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

export async function startMqttBroker(opts: MqttBrokerOptions): Promise<MqttBroker> {
  const host = opts.host ?? "127.0.0.1";
  const log = opts.logger ?? jsonLogger("localcloud-mqtt");
  const { publisher, dashboard } = opts.identities;
  for (const [role, id] of Object.entries(opts.identities)) {
    if (!id?.username || !id.password) throw new Error(`MQTT identity "${role}" needs a username and a password`);
  }
  if (publisher.username === dashboard.username) {
    throw new Error("MQTT identities publisher and dashboard must have different usernames");
  }
  const accounts = new Map<string, { role: Role; passwordDigest: Buffer }>([
    [publisher.username, { role: "publisher", passwordDigest: digest(publisher.password) }],
    [dashboard.username, { role: "dashboard", passwordDigest: digest(dashboard.password) }],
  ]);
  const roles = new WeakMap<Client, Role>();

  const broker = await Aedes.createBroker({
    connectTimeout: 10_000,
    authenticate(client, username, password, done) {
      if (username === undefined || password === undefined) {
        log.warn("mqtt connect refused: no credentials", { clientId: client.id });
        return done(authError("not authorized", NOT_AUTHORIZED), false);
      }
      const account = accounts.get(username);
      // Compare digests so the comparison time does not depend on the password.
      const ok = account !== undefined && timingSafeEqual(account.passwordDigest, digest(password));
      if (!account || !ok) {
        log.warn("mqtt connect refused: bad username or password", { clientId: client.id, username });
        return done(authError("bad username or password", BAD_USERNAME_OR_PASSWORD), false);
      }
      roles.set(client, account.role);
      done(null, true);
    },
    authorizePublish(client: Client | null, packet: PublishPacket, done) {
      // client === null: a stored will published after its owner is gone; only
      // publishers could have set one (their CONNECT will is checked below too).
      const role = client ? roles.get(client) : "publisher";
      if (role === "publisher" && inNamespace(packet.topic)) return done(null);
      log.warn("mqtt publish refused", { clientId: client?.id, role, topic: packet.topic });
      done(new Error(`publish to ${packet.topic} not allowed for ${role ?? "unknown"} identity`));
    },
    authorizeSubscribe(client: Client, sub: Subscription, done) {
      const role = roles.get(client);
      if (role !== undefined && inNamespace(sub.topic)) return done(null, sub);
      log.warn("mqtt subscribe refused", { clientId: client.id, role, topic: sub.topic });
      done(null, null); // SUBACK 0x80 for this filter
    },
  });
  broker.on("clientError", (client, err) => {
    log.info?.("mqtt client error", { clientId: client.id, error: err.message });
  });

  // Every raw stream, so close() can end connections that never sent CONNECT.
  const streams = new Set<Duplex>();
  const track = (stream: Duplex): void => {
    streams.add(stream);
    stream.once("close", () => streams.delete(stream));
  };

  const tcpServer = net.createServer((socket) => {
    track(socket);
    socket.on("error", () => {}); // resets are normal; aedes sees the close
    broker.handle(socket);
  });

  const httpServer = http.createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain", upgrade: "websocket" });
    res.end(`MQTT over WebSocket: connect to ${MQTT_WS_PATH} with subprotocol "mqtt"\n`);
  });
  const wss = new WebSocketServer({
    server: httpServer,
    path: MQTT_WS_PATH,
    handleProtocols: (protocols) =>
      protocols.has("mqtt") ? "mqtt" : protocols.has("mqttv3.1") ? "mqttv3.1" : false,
  });
  wss.on("connection", (socket, req) => {
    const stream = createWebSocketStream(socket);
    track(stream);
    stream.on("error", () => {});
    broker.handle(stream, req);
  });
  wss.on("error", () => {}); // re-emitted server errors are handled by listen()

  const closeAll = async (): Promise<void> => {
    const serversClosed = Promise.all([closeServer(tcpServer), closeServer(httpServer)]);
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    for (const stream of streams) stream.destroy();
    for (const ws of wss.clients) ws.terminate();
    httpServer.closeAllConnections();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await serversClosed;
  };

  let tcpPort: number;
  let wsPort: number;
  try {
    tcpPort = await listen(tcpServer, opts.tcpPort, host, "TCP");
    wsPort = await listen(httpServer, opts.wsPort, host, "WebSocket");
  } catch (err) {
    await closeAll();
    throw err;
  }

  let closing: Promise<void> | undefined;
  const urlHost = formatHostForUrl(host);
  return {
    tcpUrl: `mqtt://${urlHost}:${tcpPort}`,
    wsUrl: `ws://${urlHost}:${wsPort}${MQTT_WS_PATH}`,
    tcpPort,
    wsPort,
    close: () => (closing ??= closeAll()),
  };
}
