// The MQTT WebSocket connection: subscribe-only dashboard identity, state visible to
// the page (connecting / live / reconnecting / offline), reconnect with backoff.
// mqtt.js' own reconnect timer has a fixed period, so it is off and we schedule.
import mqtt, { type MqttClient } from "mqtt";
import { backoffDelay } from "./backoff.ts";

export type ConnectionState =
  | { kind: "connecting" }
  | { kind: "live"; since: number }
  | { kind: "reconnecting"; attempt: number; retryAt: number; reason: string }
  /** The browser is offline, or the broker has been unreachable for several attempts (still retrying at `retryAt`). */
  | { kind: "offline"; reason: string; retryAt?: number };

export type MessageHandler = (topic: string, payload: unknown) => void;

export interface LiveOptions {
  url: string;
  username?: string;
  /** A fixed password, or (AWS IoT Core's custom authorizer) the current sign-in token, read at every (re)connect. */
  password?: string | (() => string | undefined);
  filters: string[];
  onState(state: ConnectionState): void;
  onMessage: MessageHandler;
}

/** After this many failed attempts in a row (about 30 s with the default backoff) the feed counts as offline. */
const OFFLINE_AFTER_ATTEMPTS = 6;

const CONNACK_REASONS: Record<number, string> = {
  4: "the broker refused the dashboard identity (bad username or password)",
  5: "the broker refused the dashboard identity (not authorized)",
};

export class LiveConnection {
  #client: MqttClient;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastError = "connection closed";
  #closed = false;
  /** The next close is ours, to reconnect at once (not after a backoff). */
  #freshStart = false;
  readonly #onOnline = () => this.#reconnectNow();
  readonly #onOffline = () => {
    if (!this.#closed) this.options.onState({ kind: "offline", reason: "the browser is offline" });
  };

  constructor(private readonly options: LiveOptions) {
    options.onState({ kind: "connecting" });
    const password = typeof options.password === "function" ? options.password() : options.password;
    this.#client = mqtt.connect(options.url, {
      // IoT Core's dashboard policy admits only client ids under dashboard-.
      clientId: `dashboard-${Math.random().toString(36).slice(2, 12)}`,
      protocolVersion: 4, // aedes and IoT Core's dashboard path speak MQTT 3.1.1
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      keepalive: 20,
      resubscribe: false, // we subscribe on every connect ourselves
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(password !== undefined ? { password } : {}),
    });
    this.#client.on("connect", () => {
      this.#attempt = 0;
      // Live only once the broker has acknowledged the subscriptions: before the SUBACK,
      // messages published are not delivered to us, and a page calling itself live
      // would silently miss them.
      this.#client.subscribe(options.filters, { qos: 1 }, (error, _granted, suback) => {
        if (!error) {
          options.onState({ kind: "live", since: Date.now() });
          return;
        }
        // A SUBACK failure code (0x80) per filter, in the order subscribed.
        const codes = (suback?.granted ?? []) as number[];
        const refused = options.filters.filter((_, i) => ((codes[i] ?? 0) & 0x80) !== 0);
        this.#lastError = refused.length > 0
          ? `the broker refused the subscription to ${refused.join(", ")} (check the dashboard identity's topic policy)`
          : `subscribe failed: ${error.message}`;
        this.#client.stream.destroy(); // closes, and the close handler retries with backoff
      });
    });
    this.#client.on("message", (topic, payload) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(new TextDecoder().decode(payload));
      } catch {
        return; // not JSON: not one of ours
      }
      options.onMessage(topic, parsed);
    });
    this.#client.on("error", (error: Error & { code?: number }) => {
      this.#lastError = (typeof error.code === "number" && CONNACK_REASONS[error.code]) || error.message || "connection error";
    });
    this.#client.on("close", () => {
      if (this.#freshStart && !this.#closed) {
        this.#freshStart = false;
        options.onState({ kind: "reconnecting", attempt: 1, retryAt: Date.now(), reason: "the network is back" });
        setTimeout(() => this.#reconnectNow(), 0); // after mqtt.js has finished its own close handling
        return;
      }
      this.#scheduleReconnect();
    });
    window.addEventListener("online", this.#onOnline);
    window.addEventListener("offline", this.#onOffline);
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#timer !== undefined) return;
    if (!navigator.onLine) {
      this.options.onState({ kind: "offline", reason: "the browser is offline" });
      return; // the "online" event reconnects
    }
    this.#attempt++;
    const delay = backoffDelay(this.#attempt);
    const retryAt = Date.now() + delay;
    this.options.onState(
      this.#attempt >= OFFLINE_AFTER_ATTEMPTS
        ? { kind: "offline", reason: `${this.#lastError} (${this.#attempt} attempts)`, retryAt }
        : { kind: "reconnecting", attempt: this.#attempt, retryAt, reason: this.#lastError },
    );
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#refreshPassword();
      this.#client.reconnect();
    }, delay);
  }

  #reconnectNow(): void {
    if (this.#closed) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#client.connected) {
      // The socket outlived the network change, but frames may have been dropped on
      // it without a word: only a fresh connection (and SUBACK) is known to be live.
      this.#freshStart = true;
      this.#client.stream.destroy();
      return;
    }
    this.#refreshPassword();
    this.#client.reconnect();
  }

  // A sign-in token expires; reconnect with the one held now.
  #refreshPassword(): void {
    if (typeof this.options.password !== "function") return;
    const password = this.options.password();
    if (password !== undefined) this.#client.options.password = password;
  }

  close(): void {
    this.#closed = true;
    window.removeEventListener("online", this.#onOnline);
    window.removeEventListener("offline", this.#onOffline);
    clearTimeout(this.#timer);
    this.#client.end(true);
  }
}
