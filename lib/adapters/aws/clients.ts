import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { readAwsConfig, type AwsConfig } from "./awsConfig.ts";

type Env = Record<string, string | undefined>;

// Local endpoints accept any credentials; providing them avoids the SDK's
// credential chain (which probes the EC2 metadata address and stalls offline).
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

function clientOptions(config: AwsConfig) {
  if (!config.endpoint) return { region: config.region };
  return { region: config.region, endpoint: config.endpoint, credentials: LOCAL_CREDENTIALS };
}

export function createSqsClient(config: AwsConfig = readAwsConfig()): SQSClient {
  return new SQSClient(clientOptions(config));
}

export function createS3Client(config: AwsConfig = readAwsConfig()): S3Client {
  // Path-style: the local emulator serves /<bucket>/<key> on one host.
  return new S3Client({ ...clientOptions(config), forcePathStyle: config.endpoint !== undefined });
}

/** Parameter Store, for the secrets of AWS stages (lib/secrets/); LocalStack serves it on the same endpoint. */
export function createSsmClient(env: Env = process.env): SSMClient {
  return new SSMClient(clientOptions(readAwsConfig(env)));
}
