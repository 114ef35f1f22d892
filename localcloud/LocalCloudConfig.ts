import { resolve } from "node:path";
import { envInt, envNumber, envString } from "../lib/config/readEnv.ts";

/** One port of the local cloud, with the variable that overrides it. */
export interface PortSetting {
  name: string;
  env: string;
  port: number;
}

export interface LocalCloudConfig {
  host: string;
  region: string;
  dataDir: string;
  /** Trades per second of each simulated exchange+symbol stream with `--demo`. */
  demoTradesPerSecond: number;
  /** Events per second of the Jetstream simulator with `--demo` (about 80 % new posts, a fifth of them about a coin). */
  demoSocialRate: number;
  /** Trades and per-second partials older than this are dropped (the local search endpoint keeps everything in memory). */
  tradeRetentionHours: number;
  ports: {
    sqsS3: PortSetting;
    search: PortSetting;
    mqttTcp: PortSetting;
    mqttWs: PortSetting;
    api: PortSetting;
    lambda: PortSetting;
    marketSim: PortSetting;
    jetstream: PortSetting;
  };
  identities: {
    publisher: { username: string; password: string };
    dashboard: { username: string; password: string };
  };
}

function port(env: Record<string, string | undefined>, name: string, variable: string, fallback: number): PortSetting {
  return { name, env: variable, port: envInt(env, variable, fallback, { min: 1, max: 65535 }) };
}

/** Every setting of the local cloud, with its environment variable and default (README: Configuration). */
export function readLocalCloudConfig(env: Record<string, string | undefined> = process.env): LocalCloudConfig {
  return {
    host: envString(env, "CRYPTOVIZ_HOST", "127.0.0.1"),
    region: envString(env, "AWS_REGION", "us-east-1"),
    dataDir: resolve(envString(env, "CRYPTOVIZ_DATA_DIR", ".localcloud")),
    demoTradesPerSecond: envInt(env, "CRYPTOVIZ_DEMO_RATE", 20, { min: 1, max: 100_000 }),
    demoSocialRate: envInt(env, "CRYPTOVIZ_DEMO_SOCIAL_RATE", 50, { min: 1, max: 100_000 }),
    tradeRetentionHours: envNumber(env, "CRYPTOVIZ_TRADE_RETENTION_HOURS", 1, { min: 0.1, max: 24 * 366 }),
    ports: {
      sqsS3: port(env, "SQS + S3", "CRYPTOVIZ_SQS_S3_PORT", 4566),
      search: port(env, "search (OpenSearch API)", "CRYPTOVIZ_SEARCH_PORT", 9200),
      mqttTcp: port(env, "MQTT TCP", "CRYPTOVIZ_MQTT_PORT", 1883),
      mqttWs: port(env, "MQTT WebSocket", "CRYPTOVIZ_MQTT_WS_PORT", 9001),
      api: port(env, "HTTP API", "CRYPTOVIZ_API_PORT", 3000),
      lambda: port(env, "Lambda invoke API", "CRYPTOVIZ_LAMBDA_PORT", 3002),
      marketSim: port(env, "market simulator (--demo)", "CRYPTOVIZ_MARKET_SIM_PORT", 8765),
      jetstream: port(env, "Jetstream simulator (--demo)", "CRYPTOVIZ_JETSTREAM_PORT", 6008),
    },
    identities: {
      publisher: {
        username: envString(env, "CRYPTOVIZ_MQTT_PUBLISHER_USER", "publisher"),
        password: envString(env, "CRYPTOVIZ_MQTT_PUBLISHER_PASSWORD", "local-publisher-secret"),
      },
      dashboard: {
        username: envString(env, "CRYPTOVIZ_MQTT_DASHBOARD_USER", "dashboard"),
        password: envString(env, "CRYPTOVIZ_MQTT_DASHBOARD_PASSWORD", "local-dashboard-secret"),
      },
    },
  };
}
