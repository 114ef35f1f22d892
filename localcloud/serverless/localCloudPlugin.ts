import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { EventSourceMapping, type MappingLogger } from "../esm/EventSourceMapping.ts";
import type { Invoker } from "../esm/types.ts";
import { bootstrapResources, type CreatedResources } from "../resources/bootstrapResources.ts";
import { checkQueueContract } from "../resources/checkQueueContract.ts";
import { declaredResources, type DeclaredResources } from "../resources/declaredResources.ts";

/** The parts of the Serverless Framework v3 instance this plugin reads. */
export interface ServerlessLike {
  service: {
    service: string;
    provider: { stage: string; region: string; timeout?: number };
    custom?: Record<string, unknown>;
    resources?: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
    functions: Record<string, { name?: string; timeout?: number; events?: Array<Record<string, unknown>> }>;
  };
}

export interface LocalCloudSettings {
  /** The SQS + S3 endpoint of the local cloud. */
  endpoint: string;
  region: string;
  /** serverless-offline's Lambda Invoke API port. */
  lambdaPort: number;
}

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

export function settingsFrom(serverless: ServerlessLike): LocalCloudSettings {
  const custom = serverless.service.custom ?? {};
  const localCloud = (custom.localCloud ?? {}) as { endpoint?: string };
  const offline = (custom["serverless-offline"] ?? {}) as { lambdaPort?: number | string };
  if (!localCloud.endpoint) throw new Error("custom.localCloud.endpoint is not set in serverless.yml");
  return {
    endpoint: localCloud.endpoint,
    region: serverless.service.provider.region,
    lambdaPort: Number(offline.lambdaPort ?? 3002),
  };
}

export function declarationOf(serverless: ServerlessLike): DeclaredResources {
  const declared = declaredResources(
    serverless.service.resources?.Resources ?? {},
    serverless.service.functions,
    serverless.service.provider.timeout ?? 6,
  );
  const problems = checkQueueContract(declared);
  if (problems.length > 0) throw new Error(`serverless.yml breaks the queue contract:\n  ${problems.join("\n  ")}`);
  return declared;
}

/** Creates the declared queues and buckets in the running local cloud. */
export async function bootstrapLocalCloud(serverless: ServerlessLike): Promise<CreatedResources> {
  const settings = settingsFrom(serverless);
  const declared = declarationOf(serverless);
  const sqs = new SQSClient({ region: settings.region, endpoint: settings.endpoint, credentials });
  const s3 = new S3Client({ region: settings.region, endpoint: settings.endpoint, credentials, forcePathStyle: true });
  try {
    return await bootstrapResources(sqs, s3, declared);
  } catch (error) {
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code === "ECONNREFUSED") {
      throw new Error(`the local cloud is not running at ${settings.endpoint}: start it with \`npm start\` (or \`npm run localcloud\`)`);
    }
    throw error;
  } finally {
    sqs.destroy();
    s3.destroy();
  }
}

/** Invokes a function through serverless-offline's Lambda Invoke API. */
export function offlineInvoker(settings: LocalCloudSettings): Invoker {
  const lambda = new LambdaClient({
    region: settings.region,
    endpoint: `http://127.0.0.1:${settings.lambdaPort}`,
    credentials,
    maxAttempts: 1,
  });
  return async (functionName, event) => {
    try {
      const response = await lambda.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify(event)) }),
      );
      const text = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
      if (response.FunctionError) return { ok: false, error: text || response.FunctionError };
      if (text === "") return { ok: true, payload: null };
      try {
        return { ok: true, payload: JSON.parse(text) };
      } catch {
        return { ok: true, payload: text };
      }
    } catch (error) {
      return { ok: false, error: String(error) };
    }
  };
}

/** Starts one event source mapping per `sqs` event of every function. */
export function startMappings(
  serverless: ServerlessLike,
  created: CreatedResources,
  logger: MappingLogger,
  invoker: Invoker = offlineInvoker(settingsFrom(serverless)),
): { mappings: EventSourceMapping[]; stop(): Promise<void> } {
  const settings = settingsFrom(serverless);
  const declared = declarationOf(serverless);
  const sqs = new SQSClient({ region: settings.region, endpoint: settings.endpoint, credentials });
  const mappings = declared.eventSources.map((source) => {
    const queue = created.queues.get(source.queueLogicalId)!;
    return new EventSourceMapping(
      sqs,
      {
        functionName: source.functionName,
        queueUrl: queue.url,
        queueArn: queue.arn,
        batchSize: source.batchSize,
        maximumBatchingWindowSeconds: source.maximumBatchingWindowSeconds,
        maximumConcurrency: source.maximumConcurrency,
        reportBatchItemFailures: source.reportBatchItemFailures,
        region: settings.region,
      },
      invoker,
      logger,
    );
  });
  for (const mapping of mappings) mapping.start();
  return {
    mappings,
    async stop() {
      await Promise.all(mappings.map((m) => m.stop()));
      sqs.destroy();
    },
  };
}
