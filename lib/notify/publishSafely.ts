import type { LogSink } from "../log/LogSink.ts";
import type { Notifier, PublishOutcome } from "./notifier.ts";

export interface Notification {
  /** Builds the topic; throws TopicSegmentError for a coin or tag that cannot be a topic segment. */
  topic: () => string;
  payload: unknown;
}

/**
 * Publishes every notification, best-effort: a name that cannot be a topic is
 * logged and skipped, an outage is the notifier's to count. Never throws, so a
 * notification can never fail a batch whose data is already stored.
 */
export async function publishSafely(notifier: Notifier, notifications: readonly Notification[], logger: Pick<LogSink, "warn">): Promise<PublishOutcome[]> {
  const pending: Promise<PublishOutcome>[] = [];
  for (const n of notifications) {
    let topic: string;
    try {
      topic = n.topic();
    } catch (error) {
      logger.warn("notification skipped", { error: (error as Error).message });
      continue;
    }
    pending.push(notifier.publish(topic, n.payload));
  }
  return Promise.all(pending);
}
