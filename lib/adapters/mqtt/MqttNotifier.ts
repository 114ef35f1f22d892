// Notifier over aws-iot-device-sdk-v2's MQTT 3.1.1 client (aws-crt).
//
//   local: plain TCP to the embedded aedes broker, username/password.
//   aws:   AWS IoT Core over WebSockets (wss, port 443), handshake signed with SigV4
//          from the default credentials chain (the Lambda's role credentials in env).
//
// Connection policy, chosen for Lambda (timers do not run while a container is frozen):
// - one connection per notifier, opened lazily by the first publish and reused;
// - every publish is bounded by `timeoutMs` (connect + PUBACK together) and never throws;
// - clean session: nothing is queued while offline. When the connection drops, or a
//   connect/publish fails, the connection is discarded (the CRT's own background
//   reconnect loop is not relied on) and the next publish opens a fresh one;
// - after a failed connect or publish, publishes fail fast with "unavailable" during
//   an exponential back-off (retryMinMs … retryMaxMs), so a batch during an outage
//   costs at most one timeout, not one per message;
// - an interrupted connection (broker restarted) is retried by the very next publish;
//   a publish that fails fast on a connection believed open is retried once on a
//   fresh connection (stale socket after a restart or a frozen container).

import { auth, io, iot, mqtt } from "aws-iot-device-sdk-v2";
import { randomBytes } from "node:crypto";
import { errorText, jsonLogger } from "../../log/jsonLogger.ts";
import type { LogSink } from "../../log/LogSink.ts";
import {
  countOutcome,
  emptyStats,
  preparePublish,
  type Notifier,
  type NotifierStats,
  type PublishFailureReason,
  type PublishOutcome,
} from "../../notify/notifier.ts";

export interface LocalMqttTransport {
  kind: "local";
  host: string;
  port: number;
  username: string;
  password: string;
}

export interface AwsIotTransport {
  kind: "aws";
  /** Account's ATS data endpoint, e.g. `xxxxxxxx-ats.iot.eu-west-1.amazonaws.com`. */
  endpoint: string;
  region: string;
  /** Default 443 (WebSockets over TLS). */
  port?: number;
  /** PEM trust anchor replacing the system store (private endpoints, tests); default: system CAs. */
  caPem?: string;
}

export interface MqttNotifierOptions {
  transport: LocalMqttTransport | AwsIotTransport;
  /** MQTT client id; default `cryptoviz-<function or pid>-<random>` (unique per container). */
  clientId?: string;
  /** Upper bound for one publish, connect included. Default 3000 ms. */
  timeoutMs?: number;
  /** Fail-fast window after a failure, doubling up to retryMaxMs. Defaults 500 / 15000 ms. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** MQTT keep-alive. Default 60 s. */
  keepAliveSec?: number;
  logger?: LogSink;
}

export const DEFAULT_TIMEOUT_MS = 3000;

interface Session {
  connection: mqtt.MqttClientConnection;
  ready: Promise<void>;
  connected: boolean;
  discarded: boolean;
  /** Rejects when the connection drops or is discarded, so in-flight publishes stop waiting. */
  lost: Promise<never>;
  lose: (reason: Error) => void;
}

class DeadlineError extends Error {
  constructor(stage: string, ms: number) {
    super(`no ${stage} within ${ms} ms`);
  }
}
class BackoffError extends Error {}
class RefusedError extends Error {}

function defaultClientId(): string {
  const base = (process.env.AWS_LAMBDA_FUNCTION_NAME ?? `pid${process.pid}`).replace(/[^A-Za-z0-9_-]/g, "-");
  return `cryptoviz-${base}`.slice(0, 100) + "-" + randomBytes(4).toString("hex");
}

function withDeadline<T>(promise: Promise<T>, deadline: number, stage: string, budgetMs: number): Promise<T> {
  const left = deadline - performance.now();
  if (left <= 0) return Promise.reject(new DeadlineError(stage, budgetMs));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(stage, budgetMs)), left);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class MqttNotifier implements Notifier {
  readonly clientId: string;
  readonly #transport: LocalMqttTransport | AwsIotTransport;
  readonly #timeoutMs: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #keepAliveSec: number;
  readonly #log: LogSink;
  readonly #stats: NotifierStats = emptyStats();
  readonly #teardowns = new Set<Promise<void>>();

  #client: mqtt.MqttClient | undefined;
  #config: mqtt.MqttConnectionConfig | undefined;
  #session: Session | undefined;
  #retryAt = 0;
  #backoffMs: number;
  #failStreak = 0;
  #closed = false;

  constructor(opts: MqttNotifierOptions) {
    this.#transport = opts.transport;
    this.clientId = opts.clientId ?? defaultClientId();
    this.#timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#retryMinMs = opts.retryMinMs ?? 500;
    this.#retryMaxMs = Math.max(opts.retryMaxMs ?? 15_000, this.#retryMinMs);
    this.#backoffMs = this.#retryMinMs;
    this.#keepAliveSec = opts.keepAliveSec ?? 60;
    this.#log = opts.logger ?? jsonLogger("notify");
    if (!(this.#timeoutMs > 0)) throw new Error(`notify timeoutMs must be > 0, got ${opts.timeoutMs}`);
  }

  async publish(topic: string, payload: unknown): Promise<PublishOutcome> {
    const started = performance.now();
    const done = (outcome: PublishOutcome): PublishOutcome => {
      countOutcome(this.#stats, outcome);
      if (outcome.ok) {
        if (this.#failStreak > 0) {
          this.#log.warn("mqtt notify recovered", { failedBefore: this.#failStreak, topic });
        }
        this.#failStreak = 0;
      } else {
        this.#failStreak++;
        // During an outage every message fails fast; log the first of each back-off window only.
        if (outcome.reason !== "unavailable" || this.#failStreak === 1) {
          this.#log.warn("mqtt notify failed", {
            topic,
            reason: outcome.reason,
            error: outcome.error,
            durationMs: outcome.durationMs,
            failStreak: this.#failStreak,
          });
        }
      }
      return outcome;
    };
    const fail = (reason: PublishFailureReason, error: string): PublishOutcome =>
      done({ ok: false, topic, reason, error, durationMs: Math.round(performance.now() - started) });

    if (this.#closed) return fail("closed", "notifier closed");
    const prepared = preparePublish(topic, payload);
    if ("error" in prepared) return fail("invalid", prepared.error);

    const deadline = started + this.#timeoutMs;
    for (let attempt = 1; ; attempt++) {
      let session: Session | undefined;
      let established = false;
      try {
        session = this.#currentSession();
        established = session.connected;
        await withDeadline(session.ready, deadline, "connection", this.#timeoutMs);
        await withDeadline(
          Promise.race([session.connection.publish(topic, prepared.body, mqtt.QoS.AtLeastOnce, false), session.lost]),
          deadline,
          "PUBACK",
          this.#timeoutMs,
        );
        break;
      } catch (err) {
        if (err instanceof BackoffError) return fail("unavailable", err.message);
        // A connection that was up when the publish started and then failed fast is
        // most likely stale (broker restarted, Lambda container thawed after IoT Core
        // dropped it): retry once on a fresh connection within the same deadline.
        const retry =
          attempt === 1 && established && !this.#closed && !(err instanceof DeadlineError) && performance.now() < deadline;
        if (session) this.#discard(session, !retry);
        if (retry) continue;
        const reason: PublishFailureReason =
          this.#closed ? "closed" : err instanceof DeadlineError ? "timeout" : err instanceof RefusedError ? "refused" : "error";
        return fail(reason, errorText(err));
      }
    }
    this.#backoffMs = this.#retryMinMs;
    return done({ ok: true, topic, durationMs: Math.round(performance.now() - started) });
  }

  stats(): NotifierStats {
    return structuredClone(this.#stats);
  }

  /** True while a connection is open (for diagnostics and tests). */
  get connected(): boolean {
    return this.#session?.connected ?? false;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#session) this.#discard(this.#session, false);
    // A disconnect of a half-dead connection may wait for the CRT's next socket event; do not hang on it.
    const all = Promise.allSettled([...this.#teardowns]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
  }

  #currentSession(): Session {
    if (this.#session) return this.#session;
    const now = performance.now();
    if (now < this.#retryAt) {
      throw new BackoffError(`broker unreachable; next connection attempt in ${Math.ceil(this.#retryAt - now)} ms`);
    }
    this.#client ??= new mqtt.MqttClient();
    const connection = this.#client.new_connection(this.#connectionConfig());
    let lose: (reason: Error) => void = () => {};
    const lost = new Promise<never>((_, reject) => (lose = reject));
    lost.catch(() => {});
    const session: Session = { connection, connected: false, discarded: false, ready: Promise.resolve(), lost, lose };
    connection.on("error", () => {
      // aws-crt emits an error event for every failed operation (also rejected to the caller);
      // without a listener it would crash the process.
    });
    connection.on("interrupt", (err) => {
      session.connected = false;
      session.lose(new Error(`connection lost: ${errorText(err)}`));
      if (this.#session === session) {
        this.#log.warn("mqtt notify connection lost", { clientId: this.clientId, error: errorText(err) });
        this.#discard(session, false);
      }
    });
    connection.on("closed", () => {
      session.connected = false;
    });
    session.ready = connection.connect().then(
      () => {
        if (session.discarded) throw new Error("connection discarded while connecting");
        session.connected = true;
        this.#stats.connects++;
      },
      (err: unknown) => {
        const text = errorText(err);
        // aws-crt 1.33 reports a CONNACK refusal (bad credentials, not authorised) as
        // AWS_ERROR_MQTT_PROTOCOL_ERROR on connect; older versions say "Server rejected connection".
        throw /rejected connection|AWS_ERROR_MQTT_PROTOCOL_ERROR/i.test(text)
          ? new RefusedError(`broker refused the connection (credentials or policy?): ${text}`)
          : new Error(text);
      },
    );
    session.ready.catch(() => {}); // observed by publish(); avoid unhandled rejections
    this.#session = session;
    return session;
  }

  /** Drops a session; `backoff` makes following publishes fail fast for a while. */
  #discard(session: Session, backoff: boolean): void {
    if (session.discarded) return;
    session.discarded = true;
    session.connected = false;
    session.lose(new Error("connection discarded"));
    if (this.#session === session) {
      this.#session = undefined;
      if (backoff) {
        this.#retryAt = performance.now() + this.#backoffMs;
        this.#backoffMs = Math.min(this.#backoffMs * 2, this.#retryMaxMs);
      } else {
        this.#retryAt = 0;
      }
    }
    // disconnect() stops the CRT's reconnect loop and frees the native connection.
    // It rejects when the connection never opened; that is fine.
    const teardown = session.connection.disconnect().then(
      () => {},
      () => {},
    );
    this.#teardowns.add(teardown);
    void teardown.finally(() => this.#teardowns.delete(teardown));
  }

  #connectionConfig(): mqtt.MqttConnectionConfig {
    if (this.#config) return this.#config;
    const t = this.#transport;
    const pingTimeoutMs = Math.min(3000, this.#keepAliveSec * 500);
    if (t.kind === "local") {
      this.#config = {
        client_id: this.clientId,
        host_name: t.host,
        port: t.port,
        clean_session: true,
        keep_alive: this.#keepAliveSec,
        ping_timeout: pingTimeoutMs,
        protocol_operation_timeout: this.#timeoutMs,
        reconnect_min_sec: 1,
        reconnect_max_sec: 8,
        username: t.username,
        password: t.password,
        disable_metrics: true,
        socket_options: new io.SocketOptions(
          io.SocketType.STREAM,
          t.host.includes(":") ? io.SocketDomain.IPV6 : io.SocketDomain.IPV4,
          this.#timeoutMs,
        ),
      };
    } else {
      this.#config = buildAwsIotConfig(t, {
        clientId: this.clientId,
        keepAliveSec: this.#keepAliveSec,
        pingTimeoutMs,
        timeoutMs: this.#timeoutMs,
      });
    }
    return this.#config;
  }
}

/**
 * AWS IoT Core over MQTT-over-WebSockets with a SigV4-signed handshake. Credentials come
 * from the default chain (in Lambda: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN of the function's role), so the role needs iot:Connect on the
 * client id and iot:Publish on `topic/cryptoviz/*`.
 */
export function buildAwsIotConfig(
  t: AwsIotTransport,
  o: { clientId: string; keepAliveSec: number; pingTimeoutMs: number; timeoutMs: number },
): mqtt.MqttConnectionConfig {
  const builder = iot.AwsIotMqttConnectionConfigBuilder.new_with_websockets({
    region: t.region,
    credentials_provider: auth.AwsCredentialsProvider.newDefault(),
  })
    .with_endpoint(t.endpoint)
    .with_client_id(o.clientId)
    .with_clean_session(true)
    .with_keep_alive_seconds(o.keepAliveSec)
    .with_ping_timeout_ms(o.pingTimeoutMs)
    .with_protocol_operation_timeout_ms(o.timeoutMs)
    .with_timeout_ms(o.timeoutMs)
    .with_reconnect_min_sec(1)
    .with_reconnect_max_sec(8);
  if (t.port !== undefined) builder.with_port(t.port);
  if (t.caPem !== undefined) builder.with_certificate_authority(t.caPem);
  return builder.build();
}
