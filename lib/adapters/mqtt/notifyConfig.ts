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

import { ConfigError } from "../../config/ConfigError.ts";
import { envInt, envOptional, envString, parseEnum, parseUrl, type Env } from "../../config/readEnv.ts";
import type { AwsIotTransport, LocalMqttTransport } from "./MqttNotifier.ts";

export interface NotifyConfig {
  transport: LocalMqttTransport | AwsIotTransport | { kind: "none" };
  timeoutMs?: number;
}

function required(env: Env, name: string): string {
  const value = envString(env, name).trim();
  if (!value) throw new ConfigError(name, "is required but not set");
  return value;
}

export function notifyConfigFromEnv(env: Env = process.env): NotifyConfig {
  const explicit = envOptional(env, "NOTIFY_TRANSPORT")?.trim().toLowerCase();
  const kind = explicit ?? (env.NOTIFY_IOT_ENDPOINT ? "aws" : env.NOTIFY_MQTT_URL ? "local" : "none");
  const timeoutMs = envOptional(env, "NOTIFY_TIMEOUT_MS") === undefined ? undefined : envInt(env, "NOTIFY_TIMEOUT_MS", 0, { min: 1 });

  switch (parseEnum("NOTIFY_TRANSPORT", kind, ["none", "local", "aws"] as const)) {
    case "none":
      return { transport: { kind: "none" } };
    case "local": {
      const url = new URL(parseUrl("NOTIFY_MQTT_URL", required(env, "NOTIFY_MQTT_URL"), ["mqtt:", "tcp:"]));
      const port = url.port ? Number(url.port) : 1883;
      const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
      return {
        transport: { kind: "local", host, port, username: required(env, "NOTIFY_MQTT_USERNAME"), password: required(env, "NOTIFY_MQTT_PASSWORD") },
        timeoutMs,
      };
    }
    case "aws": {
      const endpoint = required(env, "NOTIFY_IOT_ENDPOINT");
      if (/[/:]/.test(endpoint)) throw new ConfigError("NOTIFY_IOT_ENDPOINT", "must be a host name only (no scheme, port or path)");
      return { transport: { kind: "aws", endpoint, region: required(env, "AWS_REGION") }, timeoutMs };
    }
  }
}
