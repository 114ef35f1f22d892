import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { EventSourceMapping, type MappingLogger } from "../esm/EventSourceMapping.ts";
import { LocalLambdaRuntime } from "../lambda/LocalLambdaRuntime.ts";
import { bridgeOfflineWorkers, lambdaRicPath } from "../lambda/offlineWorkerBridge.ts";
import { encodeFunctionLine, formatFunctionLine } from "../logs/functionLogLine.ts";
import { envInt } from "../../lib/config/readEnv.ts";
import type { Invoker } from "../esm/types.ts";
import { bootstrapResources, type CreatedResources } from "../resources/bootstrapResources.ts";
import { checkQueueContract } from "../resources/checkQueueContract.ts";
import { declaredResources, type DeclaredResources } from "../resources/declaredResources.ts";

/** The parts of the Serverless Framework v3 instance this plugin reads. */
export interface ServerlessLike {
  service: {
    service: string;
    provider: { stage: string; region: string; timeout?: number; memorySize?: number };
    custom?: Record<string, unknown>;
    resources?: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
    functions: Record<string, { name?: string; timeout?: number; memorySize?: number; reservedConcurrency?: number; events?: Array<Record<string, unknown>> }>;
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

/** Local concurrency of a function: its reserved concurrency, else enough for its SQS mappings, else the default. */
export function localConcurrency(serverless: ServerlessLike, functionKey: string, fallback: number): number {
  const fn = serverless.service.functions[functionKey];
  if (fn?.reservedConcurrency !== undefined) return Math.max(1, fn.reservedConcurrency);
  const sqsCaps = (fn?.events ?? [])
    .map((e) => (e.sqs as { maximumConcurrency?: number } | undefined)?.maximumConcurrency)
    .filter((n): n is number => typeof n === "number");
  return Math.max(fallback, ...sqsCaps);
}

/**
 * Runs every function of `serverless offline` in local Lambda containers (see
 * localcloud/lambda/offlineWorkerBridge.ts). Settings: CRYPTOVIZ_LOCAL_CONCURRENCY
 * (containers per function, default 2), CRYPTOVIZ_LOCAL_IDLE_SECONDS (an idle
 * container is retired after, default 300).
 */
export function startLocalRuntime(serverless: ServerlessLike): Pick<LocalLambdaRuntime, "recycle" | "stats" | "shutdown"> {
  const defaultConcurrency = envInt(process.env, "CRYPTOVIZ_LOCAL_CONCURRENCY", 2, { min: 1, max: 64 });
  const idleSeconds = envInt(process.env, "CRYPTOVIZ_LOCAL_IDLE_SECONDS", 300, { min: 1, max: 86_400 });
  // Under the launcher each line goes to it tagged with its function; alone, one readable line each.
  const toLauncher = process.env.CRYPTOVIZ_LOG_PROTOCOL === "launcher";
  const runtime = new LocalLambdaRuntime({
    ricPath: lambdaRicPath(),
    maxContainers: (key) => localConcurrency(serverless, key, defaultConcurrency),
    idleMs: idleSeconds * 1000,
    shutdownGraceMs: 3000,
    log: (key, stream, line) => process.stdout.write(`${toLauncher ? encodeFunctionLine(key, stream, line) : formatFunctionLine(key, stream, line)}\n`),
  });
  const restore = bridgeOfflineWorkers({
    runtime,
    memorySizeMb: (key) => serverless.service.functions[key]?.memorySize ?? serverless.service.provider.memorySize ?? 1024,
  });
  return {
    recycle: () => runtime.recycle(),
    stats: () => runtime.stats(),
    async shutdown() {
      restore();
      await runtime.shutdown();
    },
  };
}
