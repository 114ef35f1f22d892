// Subscriber side, with the `mqtt` npm package (what the browser dashboard uses over
// WebSocket). For tests and tools: connect, subscribe, collect JSON notifications and
// wait for the one you expect.

import mqtt, { type IClientOptions, type MqttClient } from "mqtt";

export interface Notification {
  topic: string;
  /** Parsed JSON, or the raw text when the payload is not JSON. */
  payload: unknown;
  raw: Buffer;
  receivedAt: number;
}

export interface SubscribeOptions {
  /** mqtt://host:port or ws://host:port/mqtt */
  url: string;
  username: string;
  password: string;
  /** Topic filters, e.g. priceFeedFilter() or "cryptoviz/#". */
  topics: string | string[];
  clientId?: string;
  /** Connect (CONNACK) timeout. Default 5000 ms. */
  connectTimeoutMs?: number;
  /** Reconnect after a drop (dashboard-style). Default false: a drop ends the subscription. */
  reconnect?: boolean;
}

export interface NotificationSubscription {
  readonly client: MqttClient;
  /** Everything received so far, in order. */
  readonly received: Notification[];
  /** Resolves with the first notification (already received or future) matching `match`. */
  waitFor(match?: (n: Notification) => boolean, timeoutMs?: number): Promise<Notification>;
  close(): Promise<void>;
}

/** The broker refused a subscription (SUBACK 0x80); names the filter. */
export class SubscriptionRefusedError extends Error {
  override readonly name = "SubscriptionRefusedError";
  constructor(readonly topic: string) {
    super(`subscription to ${topic} refused by the broker`);
  }
}

function parse(raw: Buffer): unknown {
  const text = raw.toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Connects with MQTT 3.1.1. Rejects on a refused CONNECT (e.g. "Bad username or password"). */
export async function connectSubscriber(
  opts: Omit<SubscribeOptions, "topics">,
): Promise<MqttClient> {
  const options: IClientOptions = {
    protocolVersion: 4,
    username: opts.username,
    password: opts.password,
    clientId: opts.clientId ?? `cryptoviz-sub-${Math.random().toString(16).slice(2, 10)}`,
    connectTimeout: opts.connectTimeoutMs ?? 5000,
    reconnectPeriod: opts.reconnect ? 1000 : 0,
    clean: true,
  };
  return mqtt.connectAsync(opts.url, options);
}

export async function subscribeNotifications(opts: SubscribeOptions): Promise<NotificationSubscription> {
  const client = await connectSubscriber(opts);
  const received: Notification[] = [];
  const waiters = new Set<{ match: (n: Notification) => boolean; resolve: (n: Notification) => void }>();

  client.on("message", (topic, raw) => {
    const n: Notification = { topic, payload: parse(raw), raw, receivedAt: Date.now() };
    received.push(n);
    for (const w of waiters) {
      if (w.match(n)) {
        waiters.delete(w);
        w.resolve(n);
      }
    }
  });
  client.on("error", () => {}); // surfaced through connectAsync / SUBACK / waitFor timeouts

  const filters = Array.isArray(opts.topics) ? opts.topics : [opts.topics];
  try {
    // One SUBSCRIBE per filter so that a refusal (SUBACK 0x80) can name its filter.
    for (const filter of filters) {
      try {
        const granted = await client.subscribeAsync(filter, { qos: 1 });
        if (granted.some((g) => g.qos === 128)) throw new SubscriptionRefusedError(filter);
      } catch (err) {
        // mqtt.js rejects a 0x80 SUBACK itself (ErrorWithSubackPacket, "Subscribe error: …").
        const e = err as { code?: unknown; packet?: { granted?: unknown[] } };
        if (e.code === 128 || e.packet?.granted?.some((g) => typeof g === "number" && (g & 0x80) !== 0)) {
          throw new SubscriptionRefusedError(filter);
        }
        throw err;
      }
    }
  } catch (err) {
    await client.endAsync(true);
    throw err;
  }

  return {
    client,
    received,
    waitFor(match = () => true, timeoutMs = 5000) {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise<Notification>((resolve, reject) => {
        const waiter = {
          match,
          resolve: (n: Notification) => {
            clearTimeout(timer);
            resolve(n);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching notification on ${filters.join(", ")} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    async close() {
      await client.endAsync(true);
    },
  };
}
