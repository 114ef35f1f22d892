// Builds an `@opensearch-project/opensearch` Client from the store
// configuration: no auth, basic auth, or SigV4 (Amazon OpenSearch Service,
// service name `es`). `getSearchClient()` returns one shared client per
// configuration, so a Lambda container reuses its connections.
import { Client } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/aws";
import type { StoreConfig } from "../../store/StoreConfig.ts";
import { ConfigError } from "../../config/ConfigError.ts";

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

export interface SearchClientOptions {
  /**
   * SigV4 only: where credentials come from. Default: the AWS SDK's node
   * provider chain (`@aws-sdk/credential-provider-node`: environment, SSO,
   * ini files, web identity, ECS/EC2 metadata — the Lambda role in AWS).
   */
  getCredentials?: AwsCredentialsProvider;
}

let defaultProvider: Promise<AwsCredentialsProvider> | undefined;

/** The AWS SDK's default chain, loaded on first use only (local runs never need it). */
export function defaultAwsCredentials(): AwsCredentialsProvider {
  return async () => {
    defaultProvider ??= import("@aws-sdk/credential-provider-node").then(
      (mod) => mod.defaultProvider() as AwsCredentialsProvider,
      (err: unknown) => {
        defaultProvider = undefined;
        throw new ConfigError("SEARCH_AUTH", `sigv4 needs @aws-sdk/credential-provider-node, or pass getCredentials (${String(err)})`);
      },
    );
    return (await defaultProvider)();
  };
}

export function createSearchClient(config: StoreConfig, options: SearchClientOptions = {}): Client {
  const common = {
    node: config.endpoint,
    requestTimeout: config.requestTimeoutMs,
    maxRetries: config.maxRetries,
  };
  switch (config.auth) {
    case "none":
      return new Client(common);
    case "basic":
      if (!config.username || config.password === undefined) {
        throw new ConfigError("SEARCH_USERNAME", "basic auth needs SEARCH_USERNAME and SEARCH_PASSWORD");
      }
      return new Client({ ...common, auth: { username: config.username, password: config.password } });
    case "sigv4":
      return new Client({
        ...common,
        ...AwsSigv4Signer({
          region: config.region,
          service: "es",
          getCredentials: options.getCredentials ?? defaultAwsCredentials(),
        }),
      });
  }
}

const shared = new Map<string, Client>();

function cacheKey(config: StoreConfig): string {
  return JSON.stringify([config.endpoint, config.auth, config.username, config.password, config.region,
    config.requestTimeoutMs, config.maxRetries]);
}

/**
 * One client per distinct configuration for the life of the process (module
 * scope, reused across Lambda invocations). Options apply when it is created.
 */
export function getSearchClient(config: StoreConfig, options: SearchClientOptions = {}): Client {
  const key = cacheKey(config);
  let client = shared.get(key);
  if (client === undefined) {
    client = createSearchClient(config, options);
    shared.set(key, client);
  }
  return client;
}

/** Closes and forgets every shared client (tests, graceful shutdown). */
export async function closeSearchClients(): Promise<void> {
  const clients = [...shared.values()];
  shared.clear();
  await Promise.all(clients.map((c) => c.close()));
}
