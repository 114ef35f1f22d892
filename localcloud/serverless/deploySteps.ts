// What the plugin does on deploy stages (loaded only then, through tsx's CommonJS
// loader like the rest of the plugin: static imports only — a dynamic import()
// of a .ts file is not compiled there and fails with "Unknown file extension").
import { S3Client } from "@aws-sdk/client-s3";
import { formatProblems, validateTemplate } from "../../lib/cloudformation/validateTemplate.ts";
import type { Template } from "../../lib/cloudformation/Template.ts";
import { buildDashboard } from "../../lib/dashboard/buildDashboard.ts";
import { deployedDashboardConfig } from "../../lib/dashboard/deployedDashboardConfig.ts";
import { uploadDashboard } from "../../lib/dashboard/uploadDashboard.ts";
import { S3DashboardBucket } from "../../lib/adapters/aws/S3DashboardBucket.ts";
import { scraperChromiumProblems, type ScraperFunctions } from "./scraperChecks.ts";
import { parameterProblems, requiredParameters, secretValueProblems, type ServiceEnvironments } from "./secretChecks.ts";

/**
 * Offline, at package time, for a deploy stage: no secret value in the functions'
 * environments (secretChecks.ts), and an arm64 Chromium for arm64 scrapers (scraperChecks.ts).
 */
export async function checkDeployConfig(serverless: ServiceEnvironments & ScraperFunctions): Promise<void> {
  const secrets = secretValueProblems(serverless);
  if (secrets.length > 0) throw new Error(`secrets must not be deployed as values:\n  ${secrets.join("\n  ")}`);
  const scrapers = scraperChromiumProblems(serverless);
  if (scrapers.length > 0) throw new Error(scrapers.join("\n"));
}

/**
 * Before CloudFormation is asked for anything: every SSM parameter the
 * functions read exists as a SecureString, and the compiled template passes the
 * offline validator (lib/cloudformation/). Returns what was checked, for the log.
 */
export async function checkBeforeDeploy(serverless: ServiceEnvironments & DeployingServerless & { service: { provider: { compiledCloudFormationTemplate?: unknown } } }): Promise<string> {
  const provider = serverless.getProvider("aws");
  const required = requiredParameters(serverless);
  const problems = await parameterProblems(required, (service, method, params) => provider.request(service, method, params), provider.getRegion());
  if (problems.length > 0) throw new Error(`the deploy needs its secrets in SSM Parameter Store first (README "Secrets"):\n  ${problems.join("\n  ")}`);
  const template = serverless.service.provider.compiledCloudFormationTemplate;
  if (!template) throw new Error("no compiled CloudFormation template to check");
  const found = await validateTemplate(template as Template);
  if (found.length > 0) throw new Error(`CloudFormation would refuse the template:\n${formatProblems(found)}`);
  return `${required.length} SSM parameter(s) present (${required.map((p) => p.name).join(", ")}); template valid`;
}

/** What `serverless deploy` offers the dashboard step (AWS provider, resolved config). */
export interface DeployingServerless {
  service: { custom?: Record<string, unknown> };
  getProvider(name: "aws"): {
    naming: { getStackName(): string };
    getRegion(): string;
    getCredentials(): { credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } };
    request(service: string, method: string, params: unknown): Promise<unknown>;
  };
}

/**
 * After `serverless deploy`: builds the dashboard if its sources changed and
 * uploads it to the stack's dashboard bucket with a config.json for this stack
 * (served by CloudFront). Returns the dashboard's URL.
 */
export async function publishDeployedDashboard(
  serverless: DeployingServerless,
  /** Tests put the bucket in the local S3 emulator; deploys use the stack's region and credentials. */
  deps: { s3?: S3Client } = {},
): Promise<string> {
  const provider = serverless.getProvider("aws");
  const described = (await provider.request("CloudFormation", "describeStacks", { StackName: provider.naming.getStackName() })) as {
    Stacks?: Array<{ Outputs?: Array<{ OutputKey?: string; OutputValue?: string }> }>;
  };
  const outputs = Object.fromEntries((described.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? "", o.OutputValue]));
  const custom = serverless.service.custom ?? {};
  const notify = (custom.notifyEnvironment ?? {}) as { NOTIFY_IOT_ENDPOINT?: string };
  const deploy = (custom.dashboardDeploy ?? {}) as { iotAuthorizerName?: string; oidcIssuer?: unknown; oidcClientId?: unknown };
  // The API's issuer param is the Cognito pool's (a CloudFormation expression) unless overridden with a URL.
  const issuer = typeof deploy.oidcIssuer === "string" && deploy.oidcIssuer ? deploy.oidcIssuer : undefined;
  const clientId = typeof deploy.oidcClientId === "string" && deploy.oidcClientId ? deploy.oidcClientId : undefined;
  const config = deployedDashboardConfig({
    outputs,
    iotEndpoint: notify.NOTIFY_IOT_ENDPOINT ?? "",
    iotAuthorizerName: deploy.iotAuthorizerName ?? "",
    ...(issuer ? { oidcIssuer: issuer } : {}),
    ...(clientId ? { oidcClientId: clientId } : {}),
  });
  const bucket = outputs.DashboardBucketName;
  if (!bucket) throw new Error("the stack has no DashboardBucketName output");
  const built = await buildDashboard();
  const { credentials } = provider.getCredentials();
  const s3 = deps.s3 ?? new S3Client({ region: provider.getRegion(), ...(credentials ? { credentials } : {}) });
  try {
    await uploadDashboard(new S3DashboardBucket(s3, bucket), { distDir: built.distDir, config });
  } finally {
    if (!deps.s3) s3.destroy();
  }
  return outputs.DashboardUrl ?? `s3://${bucket}/index.html`;
}
