// Where notifications go, from the environment (one place; serverless.yml sets these per stage).
//
//   NOTIFY_TRANSPORT      local | aws | none   (default: aws if NOTIFY_IOT_ENDPOINT is set,
//                                                local if NOTIFY_MQTT_URL is set, else none)
//   NOTIFY_MQTT_URL       local broker, mqtt://127.0.0.1:1883
//   NOTIFY_MQTT_USERNAME  local broker publisher identity
//   NOTIFY_MQTT_PASSWORD
//   NOTIFY_IOT_ENDPOINT   AWS IoT Core ATS data endpoint (xxxxxxxx-ats.iot.<region>.amazonaws.com)
//   AWS_REGION            set by Lambda
//   NOTIFY_TIMEOUT_MS     bound for one publish, default 3000

import type { AwsIotTransport, LocalMqttTransport } from "./mqtt-notifier.ts";

export interface NotifyConfig {
  transport: LocalMqttTransport | AwsIotTransport | { kind: "none" };
  timeoutMs?: number;
}

/** A notify setting is missing or malformed; `variable` names it. */
export class NotifyConfigError extends Error {
  override readonly name = "NotifyConfigError";
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`${variable}: ${reason}`);
  }
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new NotifyConfigError(name, "is required");
  return value;
}

export function notifyConfigFromEnv(env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const explicit = env.NOTIFY_TRANSPORT?.trim().toLowerCase();
  const kind = explicit || (env.NOTIFY_IOT_ENDPOINT ? "aws" : env.NOTIFY_MQTT_URL ? "local" : "none");

  let timeoutMs: number | undefined;
  if (env.NOTIFY_TIMEOUT_MS !== undefined && env.NOTIFY_TIMEOUT_MS !== "") {
    timeoutMs = Number(env.NOTIFY_TIMEOUT_MS);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new NotifyConfigError("NOTIFY_TIMEOUT_MS", `must be a positive integer, got ${JSON.stringify(env.NOTIFY_TIMEOUT_MS)}`);
    }
  }

  switch (kind) {
    case "none":
      return { transport: { kind: "none" } };
    case "local": {
      const raw = required(env, "NOTIFY_MQTT_URL");
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new NotifyConfigError("NOTIFY_MQTT_URL", `not a URL: ${JSON.stringify(raw)}`);
      }
      if (url.protocol !== "mqtt:" && url.protocol !== "tcp:") {
        throw new NotifyConfigError("NOTIFY_MQTT_URL", `must be mqtt://host:port (plain TCP), got ${url.protocol}//`);
      }
      const port = url.port ? Number(url.port) : 1883;
      const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
      return {
        transport: {
          kind: "local",
          host,
          port,
          username: required(env, "NOTIFY_MQTT_USERNAME"),
          password: required(env, "NOTIFY_MQTT_PASSWORD"),
        },
        timeoutMs,
      };
    }
    case "aws": {
      const endpoint = required(env, "NOTIFY_IOT_ENDPOINT");
      if (/[/:]/.test(endpoint)) {
        throw new NotifyConfigError("NOTIFY_IOT_ENDPOINT", "must be a host name only (no scheme, port or path)");
      }
      return { transport: { kind: "aws", endpoint, region: required(env, "AWS_REGION") }, timeoutMs };
    }
    default:
      throw new NotifyConfigError("NOTIFY_TRANSPORT", `must be local, aws or none, got ${JSON.stringify(explicit)}`);
  }
}
