// The store's configuration: one typed table of fields with their environment
// names and defaults. `readStoreConfig()` validates it, `describeStoreConfig()`
// prints it with secrets masked.
import { ConfigError } from "../config/ConfigError.ts";
import { parseEnum, parseInteger, parseNumber, parseUrl } from "../config/readEnv.ts";

export type SearchAuthMode = "none" | "basic" | "sigv4";

export interface StoreConfig {
  /** OpenSearch endpoint, e.g. `https://search-x.eu-west-1.es.amazonaws.com`. */
  endpoint: string;
  auth: SearchAuthMode;
  username: string | undefined;
  password: string | undefined;
  /** AWS region used to sign requests (sigv4 only). */
  region: string;
  /** Prefix of every index and template name. */
  indexPrefix: string;
  requestTimeoutMs: number;
  /** Client-level retries of a whole request (connection errors, 502/503/504). */
  maxRetries: number;
  /** A bulk request is cut when its body reaches this many bytes... */
  bulkMaxBytes: number;
  /** ...or this many operations. */
  bulkMaxOperations: number;
  /** Bulk requests of one write call in flight at once. */
  bulkConcurrency: number;
  /** Attempts for items (or requests) answered 429, with exponential backoff. */
  bulkRetries: number;
  /** First backoff delay after a 429; doubles each attempt (with jitter). */
  bulkBackoffMs: number;
  /** Read-aggregate-write attempts for one candle/aggregate before giving up. */
  occMaxAttempts: number;
  /** Trades older than this cannot be applied (their source may be gone). */
  /** Trades and per-second partials are kept this long (ISM in AWS, the local cloud's janitor locally). */
  tradeRetentionHours: number;
  /** Social posts are kept this long (ISM in AWS); older posts are refused, since their minute's other posts may be gone. */
  socialRetentionHours: number;
  /** Primary shards of each daily trades index (size them at 10–50 GB each). */
  tradeShards: number;
}

interface Field<K extends keyof StoreConfig> {
  key: K;
  env: string;
  /** Other environment names read when `env` is unset, in order. */
  aliases?: string[];
  default: StoreConfig[K];
  parse: (raw: string, env: string) => StoreConfig[K];
  secret?: boolean;
  doc: string;
}

type AnyField = { [K in keyof StoreConfig]: Field<K> }[keyof StoreConfig];

const int = (min: number) => (raw: string, env: string): number => parseInteger(env, raw, { min });
const positive = (min: number) => (raw: string, env: string): number => parseNumber(env, raw, { min });

const text = (raw: string): string => raw;

export const STORE_CONFIG_FIELDS: readonly AnyField[] = [
  {
    key: "endpoint",
    env: "SEARCH_URL",
    aliases: ["OPENSEARCH_URL"],
    default: "http://127.0.0.1:9200",
    parse: (raw, env) => parseUrl(env, raw, ["http:", "https:"]),
    doc: "OpenSearch endpoint",
  },
  {
    key: "auth",
    env: "SEARCH_AUTH",
    default: "none",
    parse: (raw, env) => parseEnum(env, raw, ["none", "basic", "sigv4"] as const),
    doc: "authentication: none | basic | sigv4",
  },
  { key: "username", env: "SEARCH_USERNAME", default: undefined, parse: text, doc: "basic auth user" },
  { key: "password", env: "SEARCH_PASSWORD", default: undefined, parse: text, secret: true, doc: "basic auth password" },
  {
    key: "region",
    env: "SEARCH_REGION",
    aliases: ["AWS_REGION", "AWS_DEFAULT_REGION"],
    default: "us-east-1",
    parse: text,
    doc: "AWS region for SigV4",
  },
  {
    key: "indexPrefix",
    env: "SEARCH_INDEX_PREFIX",
    default: "cryptoviz-",
    parse: (raw, env) => {
      if (!/^[a-z0-9][a-z0-9_.-]*$/.test(raw)) {
        throw new ConfigError(env, `must be lowercase letters, digits, _ . - (an index name prefix), got "${raw}"`);
      }
      return raw;
    },
    doc: "prefix of index and template names",
  },
  { key: "requestTimeoutMs", env: "SEARCH_REQUEST_TIMEOUT_MS", default: 30_000, parse: int(1), doc: "request timeout" },
  { key: "maxRetries", env: "SEARCH_MAX_RETRIES", default: 3, parse: int(0), doc: "client retries per request" },
  { key: "bulkMaxBytes", env: "SEARCH_BULK_MAX_BYTES", default: 5 * 1024 * 1024, parse: int(1024), doc: "bulk body size cap" },
  { key: "bulkMaxOperations", env: "SEARCH_BULK_MAX_OPERATIONS", default: 10_000, parse: int(1), doc: "bulk operation count cap" },
  { key: "bulkConcurrency", env: "SEARCH_BULK_CONCURRENCY", default: 2, parse: int(1), doc: "bulk requests in flight" },
  { key: "bulkRetries", env: "SEARCH_BULK_RETRIES", default: 5, parse: int(0), doc: "retries after 429" },
  { key: "bulkBackoffMs", env: "SEARCH_BULK_BACKOFF_MS", default: 100, parse: int(1), doc: "first 429 backoff" },
  { key: "occMaxAttempts", env: "SEARCH_OCC_MAX_ATTEMPTS", default: 12, parse: int(1), doc: "optimistic concurrency attempts" },
  { key: "tradeRetentionHours", env: "SEARCH_TRADE_RETENTION_HOURS", default: 720, parse: positive(0.1), doc: "hours trades and per-second partials are kept (decimals allowed)" },
  { key: "socialRetentionHours", env: "SEARCH_SOCIAL_RETENTION_HOURS", default: 720, parse: positive(0.1), doc: "hours social posts are kept (decimals allowed)" },
  { key: "tradeShards", env: "SEARCH_TRADE_SHARDS", default: 1, parse: int(1), doc: "primary shards per daily trades index" },
];

/** Reads the configuration from `env` (default `process.env`), applying `overrides` last. */
export function readStoreConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<StoreConfig> = {},
): StoreConfig {
  const config: Record<string, unknown> = {};
  for (const field of STORE_CONFIG_FIELDS) {
    const name = [field.env, ...(field.aliases ?? [])].find((n) => env[n] !== undefined && env[n] !== "");
    config[field.key] = name === undefined ? field.default : field.parse(env[name] as string, name);
  }
  const result = { ...(config as unknown as StoreConfig), ...overrides };
  if (result.auth === "basic" && (!result.username || result.password === undefined)) {
    throw new ConfigError("SEARCH_USERNAME", "SEARCH_AUTH=basic needs SEARCH_USERNAME and SEARCH_PASSWORD");
  }
  return result;
}

/** The configuration as printable lines, secrets masked. */
export function describeStoreConfig(config: StoreConfig): string[] {
  return STORE_CONFIG_FIELDS.map((field) => {
    const value = config[field.key];
    const shown = field.secret && value !== undefined ? "***" : String(value);
    return `${field.env}=${shown}  (${field.doc})`;
  });
}
