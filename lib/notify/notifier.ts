// The notification port used by domain code. Publishing is best-effort: a broker
// outage must never fail the caller's batch, so publish() never throws — it returns
// an outcome, and failures are logged and counted by the implementation.

export type PublishFailureReason =
  /** No acknowledgement (or no connection) within the notifier's timeout. */
  | "timeout"
  /** Broker known to be unreachable; not retried until the back-off has passed. */
  | "unavailable"
  /** The broker refused the connection (credentials, policy). */
  | "refused"
  /** Topic or payload cannot be published (not JSON-serialisable, too large, bad topic). */
  | "invalid"
  /** The notifier was closed. */
  | "closed"
  /** Notifications are switched off by configuration. */
  | "disabled"
  /** Anything else the client reported. */
  | "error";

export type PublishOutcome =
  | { ok: true; topic: string; durationMs: number }
  | { ok: false; topic: string; durationMs: number; reason: PublishFailureReason; error: string };

export interface NotifierStats {
  published: number;
  failed: number;
  /** Failures per reason. */
  failures: Partial<Record<PublishFailureReason, number>>;
  /** Connections successfully opened over the notifier's life (1 = never reconnected). */
  connects: number;
}

export interface Notifier {
  /** Publishes `payload` as JSON, QoS 1. Resolves within the configured timeout; never rejects. */
  publish(topic: string, payload: unknown): Promise<PublishOutcome>;
  stats(): NotifierStats;
  /** Disconnects and releases native resources; later publishes return reason "closed". */
  close(): Promise<void>;
}

/** AWS IoT Core's maximum message size; the local broker gets the same limit. */
export const MAX_PAYLOAD_BYTES = 128 * 1024;

export function emptyStats(): NotifierStats {
  return { published: 0, failed: 0, failures: {}, connects: 0 };
}

export function countOutcome(stats: NotifierStats, outcome: PublishOutcome): void {
  if (outcome.ok) {
    stats.published++;
  } else {
    stats.failed++;
    stats.failures[outcome.reason] = (stats.failures[outcome.reason] ?? 0) + 1;
  }
}

/** Checks a topic name for publishing and serialises the payload; returns an error text or the body. */
export function preparePublish(topic: string, payload: unknown): { body: string } | { error: string } {
  if (typeof topic !== "string" || topic.length === 0) return { error: "topic must be a non-empty string" };
  if (/[+#\u0000]/.test(topic)) return { error: `topic ${JSON.stringify(topic)} must not contain '+', '#' or NUL` };
  let body: string | undefined;
  try {
    body = JSON.stringify(payload);
  } catch (err) {
    return { error: `payload is not JSON-serialisable: ${(err as Error).message}` };
  }
  if (body === undefined) return { error: "payload is not JSON-serialisable (undefined or a function)" };
  const size = Buffer.byteLength(body);
  if (size > MAX_PAYLOAD_BYTES) return { error: `payload is ${size} bytes, above the ${MAX_PAYLOAD_BYTES}-byte limit` };
  return { body };
}

export interface RecordedNotification {
  topic: string;
  payload: unknown;
}

/**
 * In-memory notifier for unit tests of domain code: records what would be published.
 * `failWith` makes every publish fail with that reason (to exercise the outage path).
 */
export class RecordingNotifier implements Notifier {
  readonly published: RecordedNotification[] = [];
  failWith: PublishFailureReason | undefined;
  #stats = emptyStats();
  #closed = false;

  async publish(topic: string, payload: unknown): Promise<PublishOutcome> {
    const prepared = preparePublish(topic, payload);
    let outcome: PublishOutcome;
    if (this.#closed) outcome = { ok: false, topic, durationMs: 0, reason: "closed", error: "notifier closed" };
    else if ("error" in prepared) outcome = { ok: false, topic, durationMs: 0, reason: "invalid", error: prepared.error };
    else if (this.failWith) outcome = { ok: false, topic, durationMs: 0, reason: this.failWith, error: "simulated" };
    else {
      this.published.push({ topic, payload: JSON.parse(prepared.body) as unknown });
      outcome = { ok: true, topic, durationMs: 0 };
    }
    countOutcome(this.#stats, outcome);
    return outcome;
  }

  stats(): NotifierStats {
    return structuredClone(this.#stats);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/** Used when notifications are switched off (NOTIFY_TRANSPORT=none): every publish is a no-op. */
export class DisabledNotifier implements Notifier {
  #stats = emptyStats();
  async publish(topic: string, _payload?: unknown): Promise<PublishOutcome> {
    const outcome: PublishOutcome = { ok: false, topic, durationMs: 0, reason: "disabled", error: "notifications disabled" };
    countOutcome(this.#stats, outcome);
    return outcome;
  }
  stats(): NotifierStats {
    return structuredClone(this.#stats);
  }
  async close(): Promise<void> {}
}
