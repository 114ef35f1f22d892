import { envOptionalUrl, envString } from "../../config/readEnv.ts";

/**
 * Where the AWS clients point. In AWS only the region is set (by Lambda itself);
 * locally CRYPTOVIZ_AWS_ENDPOINT points every client at the embedded local cloud.
 */
export interface AwsConfig {
  region: string;
  /** Set only for the local cloud / LocalStack; undefined means real AWS endpoints. */
  endpoint: string | undefined;
}

export function readAwsConfig(env: Record<string, string | undefined> = process.env): AwsConfig {
  return {
    region: envString(env, "AWS_REGION", envString(env, "AWS_DEFAULT_REGION", "us-east-1")),
    endpoint: envOptionalUrl(env, "CRYPTOVIZ_AWS_ENDPOINT"),
  };
}
