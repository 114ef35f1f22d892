// Entry point for Lambda code: one notifier per container, created lazily at module
// scope from the environment and reused across invocations.
//
//   import { getNotifier } from "../../lib/adapters/mqtt/getNotifier.ts";
//   const outcome = await getNotifier().publish(priceFeedRefreshTopic("btc"), { at: Date.now() });
//   // outcome.ok === false on an outage: logged and counted, never thrown.

import { onContainerShutdown } from "../../lambda/containerShutdown.ts";
import { notifyConfigFromEnv, type NotifyConfig } from "./notifyConfig.ts";
import type { LogSink } from "../../log/LogSink.ts";
import { MqttNotifier } from "./MqttNotifier.ts";
import { DisabledNotifier, type Notifier } from "../../notify/notifier.ts";

export function createNotifier(config: NotifyConfig, logger?: LogSink): Notifier {
  const { transport, timeoutMs } = config;
  if (transport.kind === "none") return new DisabledNotifier();
  return new MqttNotifier({ transport, timeoutMs, logger });
}

let shared: Notifier | undefined;

/**
 * The container-wide notifier. Reads the environment on first use; a configuration
 * error (ConfigError naming the variable) is thrown here, so call it once at
 * module load in a handler to fail at cold start rather than mid-batch.
 */
export function getNotifier(logger?: LogSink): Notifier {
  if (!shared) {
    const notifier = createNotifier(notifyConfigFromEnv(), logger);
    shared = notifier;
    // Its MQTT connection is native (aws-crt): closed before the container exits.
    onContainerShutdown(() => notifier.close());
  }
  return shared;
}

/** Replaces the container-wide notifier (tests, `invoke local` wiring); closes the previous one. */
export async function setNotifier(next: Notifier | undefined): Promise<void> {
  const previous = shared;
  shared = next;
  if (previous && previous !== next) await previous.close();
}
