// Which secret a function reads, from its environment (serverless.yml sets one of the two):
//   <NAME>             the value itself        (local stages: env / params)
//   <NAME>_PARAMETER   an SSM parameter name   (AWS stages; README "Secrets")
//   SECRETS_MAX_AGE_SECONDS  how long an SSM value is cached (default 300)
import { SSMProvider } from "@aws-lambda-powertools/parameters/ssm";
import { createSsmClient } from "./clients.ts";
import { ConfigError } from "../../config/ConfigError.ts";
import { envInt, envOptional } from "../../config/readEnv.ts";
import { literalSecret, type Secret } from "../../secrets/Secret.ts";
import { ssmSecret } from "./ssmSecret.ts";

type Env = Record<string, string | undefined>;

/** Suffix of the variable that names a secret's SSM parameter (`INGEST_TOKEN_PARAMETER`). */
export const PARAMETER_SUFFIX = "_PARAMETER";

let sharedProvider: SSMProvider | undefined;

/** One SSM client and one cache per container, shared by every secret of the function. */
function defaultProvider(env: Env): SSMProvider {
  sharedProvider ??= new SSMProvider({ awsSdkV3Client: createSsmClient(env) });
  return sharedProvider;
}

export function secretFromEnv(env: Env, name: string, provider?: SSMProvider): Secret {
  const literal = envOptional(env, name);
  const parameter = envOptional(env, `${name}${PARAMETER_SUFFIX}`);
  if (literal !== undefined && parameter !== undefined) {
    throw new ConfigError(name, `set either ${name} (a value) or ${name}${PARAMETER_SUFFIX} (an SSM parameter name), not both`);
  }
  if (parameter === undefined) return literalSecret(literal, name);
  if (!parameter.startsWith("/")) throw new ConfigError(`${name}${PARAMETER_SUFFIX}`, `must be an SSM parameter name starting with "/", got "${parameter}"`);
  const maxAge = envInt(env, "SECRETS_MAX_AGE_SECONDS", 300, { min: 1, max: 86_400 });
  return ssmSecret(parameter, provider ?? defaultProvider(env), maxAge, `SSM parameter ${parameter} (${name}${PARAMETER_SUFFIX})`);
}

/**
 * Starts reading a secret now, during the cold start, so the first request
 * finds it cached. A failure here is left to that request to report.
 */
export function prefetch(secret: Secret): Secret {
  void secret.value().catch(() => undefined);
  return secret;
}
