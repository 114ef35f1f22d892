// Secrets on deploy stages: functions carry SSM parameter names, never values.
//  - at package time (offline): no function of a deploy stage may carry a
//    secret's value, from a --param, an environment variable or serverless.yml,
//    since it would be written into the template and serverless-state.json;
//  - at deploy time, before CloudFormation: every SSM parameter the functions
//    name must exist as a SecureString, or the deploy stops naming the missing
//    ones with the command that creates them.
import { PARAMETER_SUFFIX } from "../../lib/adapters/aws/secretFromEnv.ts";

/** Variables that hold a secret's value (each may instead be named through <NAME>_PARAMETER). */
export const SECRET_VARIABLES = ["INGEST_TOKEN", "INFERENCE_TOKEN", "NOTIFY_MQTT_PASSWORD", "API_DEV_TOKEN_SECRET", "X_BEARER_TOKEN"] as const;

/** The resolved configuration's parts read here. */
export interface ServiceEnvironments {
  service: {
    provider: { environment?: Record<string, unknown> };
    functions: Record<string, { environment?: Record<string, unknown> }>;
  };
}

export interface RequiredParameter {
  name: string;
  /** `INGEST_TOKEN`: what the value is. */
  variable: string;
  functions: string[];
}

function environmentOf(serverless: ServiceEnvironments, fn: string): Record<string, unknown> {
  return { ...(serverless.service.provider.environment ?? {}), ...(serverless.service.functions[fn]?.environment ?? {}) };
}

const hasValue = (v: unknown) => v !== undefined && v !== null && v !== "";

/** Problems for a deploy stage: a secret's value in a function's environment, or the local development login. */
export function secretValueProblems(serverless: ServiceEnvironments): string[] {
  const problems: string[] = [];
  for (const fn of Object.keys(serverless.service.functions).sort()) {
    const env = environmentOf(serverless, fn);
    for (const variable of SECRET_VARIABLES) {
      if (hasValue(env[variable])) {
        problems.push(
          `${fn}: ${variable} has a value; on a deployed stage it would be written into the CloudFormation template and ` +
            `serverless-state.json. Put it in SSM Parameter Store instead (README "Secrets") and pass no --param or ` +
            `CRYPTOVIZ_* variable for it.`,
        );
      }
    }
    if (env.API_AUTH === "dev") problems.push(`${fn}: API_AUTH is "dev", the local development login; deployed stages sign in with OIDC (apiAuth: oidc)`);
  }
  return problems;
}

/** Every SSM parameter a function names through <NAME>_PARAMETER, with who reads it. */
export function requiredParameters(serverless: ServiceEnvironments): RequiredParameter[] {
  const byName = new Map<string, RequiredParameter>();
  for (const fn of Object.keys(serverless.service.functions).sort()) {
    for (const [key, value] of Object.entries(environmentOf(serverless, fn))) {
      if (!key.endsWith(PARAMETER_SUFFIX) || typeof value !== "string" || value === "") continue;
      const entry = byName.get(value) ?? { name: value, variable: key.slice(0, -PARAMETER_SUFFIX.length), functions: [] };
      entry.functions.push(fn);
      byName.set(value, entry);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The AWS provider's request(), as the Framework offers it (credentials and region of the deploy). */
export type ProviderRequest = (service: string, method: string, params: unknown) => Promise<unknown>;

interface GetParametersOutput {
  Parameters?: Array<{ Name?: string; Type?: string }>;
  InvalidParameters?: string[];
}

/** Asks SSM about every required parameter (names and types only, never the values). */
export async function parameterProblems(required: readonly RequiredParameter[], request: ProviderRequest, region: string): Promise<string[]> {
  const problems: string[] = [];
  // GetParameters takes at most 10 names per call.
  for (let i = 0; i < required.length; i += 10) {
    const chunk = required.slice(i, i + 10);
    const out = (await request("SSM", "getParameters", { Names: chunk.map((p) => p.name), WithDecryption: false })) as GetParametersOutput;
    const types = new Map((out.Parameters ?? []).map((p) => [p.Name, p.Type]));
    for (const p of chunk) {
      const who = `${p.variable} for ${p.functions.join(", ")}`;
      const create = `aws ssm put-parameter --region ${region} --type SecureString --name ${p.name} --value "$(openssl rand -hex 32)"`;
      if (!types.has(p.name)) problems.push(`missing SSM parameter ${p.name} (${who}); create it:\n    ${create}`);
      else if (types.get(p.name) !== "SecureString") {
        problems.push(`SSM parameter ${p.name} (${who}) is a ${types.get(p.name)}, not a SecureString: delete it and create it again:\n    ${create}`);
      }
    }
  }
  return problems;
}
