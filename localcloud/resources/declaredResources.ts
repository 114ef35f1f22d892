/**
 * Reads the queues, buckets and SQS event source mappings out of the resolved
 * serverless configuration — the same declaration that deploys to AWS — so the
 * local cloud never keeps a second list.
 */

export interface QueueSpec {
  logicalId: string;
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;
  /** Logical id of the dead-letter queue and the receive count that moves a message there. */
  redrive?: { deadLetterLogicalId: string; maxReceiveCount: number };
}

export interface BucketSpec {
  logicalId: string;
  name: string;
}

export interface SqsEventSpec {
  functionKey: string;
  functionName: string;
  queueLogicalId: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  /** Whether the declaration sets maximumBatchingWindow at all (a FIFO queue's event source must not). */
  batchingWindowDeclared: boolean;
  maximumConcurrency: number;
  reportBatchItemFailures: boolean;
  /** Seconds; used to check the queue's visibility timeout against it. */
  functionTimeout: number;
}

export interface DeclaredResources {
  queues: QueueSpec[];
  buckets: BucketSpec[];
  eventSources: SqsEventSpec[];
}

/** The declaration cannot be run locally; says which resource and why. */
export class DeclarationError extends Error {
  override readonly name = "DeclarationError";
}

type CfnResource = { Type?: string; Properties?: Record<string, unknown> };
type FunctionDecl = { name?: string; timeout?: number; events?: Array<Record<string, unknown>> };

const QUEUE_ATTRIBUTES = [
  "VisibilityTimeout",
  "MessageRetentionPeriod",
  "MaximumMessageSize",
  "DelaySeconds",
  "ReceiveMessageWaitTimeSeconds",
  "ContentBasedDeduplication",
  "DeduplicationScope",
  "FifoThroughputLimit",
] as const;

/** AWS's default when a mapping sets no maximumConcurrency is the account's concurrency; locally it is bounded. */
export const DEFAULT_LOCAL_CONCURRENCY = 5;

function logicalIdOf(ref: unknown, where: string): string {
  if (typeof ref === "object" && ref !== null) {
    const getAtt = (ref as Record<string, unknown>)["Fn::GetAtt"];
    if (Array.isArray(getAtt) && typeof getAtt[0] === "string") return getAtt[0];
    if (typeof getAtt === "string") return getAtt.split(".")[0]!;
  }
  throw new DeclarationError(`${where}: expected { "Fn::GetAtt": [<LogicalId>, "Arn"] }, got ${JSON.stringify(ref)}`);
}

export function declaredResources(
  resources: Record<string, CfnResource>,
  functions: Record<string, FunctionDecl>,
  defaultTimeout = 6,
): DeclaredResources {
  const queues: QueueSpec[] = [];
  const buckets: BucketSpec[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === "AWS::SQS::Queue") {
      if (typeof props.QueueName !== "string") throw new DeclarationError(`resources.${logicalId}: QueueName is required for the local cloud`);
      const attributes: Record<string, string> = {};
      for (const key of QUEUE_ATTRIBUTES) if (props[key] !== undefined) attributes[key] = String(props[key]);
      const fifo = props.FifoQueue === true || props.FifoQueue === "true";
      if (fifo) attributes.FifoQueue = "true";
      const redrivePolicy = props.RedrivePolicy as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined;
      const spec: QueueSpec = { logicalId, name: props.QueueName, fifo, attributes };
      if (redrivePolicy) {
        spec.redrive = {
          deadLetterLogicalId: logicalIdOf(redrivePolicy.deadLetterTargetArn, `resources.${logicalId}.RedrivePolicy.deadLetterTargetArn`),
          maxReceiveCount: Number(redrivePolicy.maxReceiveCount),
        };
        if (!Number.isInteger(spec.redrive.maxReceiveCount) || spec.redrive.maxReceiveCount < 1) {
          throw new DeclarationError(`resources.${logicalId}.RedrivePolicy.maxReceiveCount: must be a positive integer`);
        }
      }
      queues.push(spec);
    } else if (resource.Type === "AWS::S3::Bucket") {
      if (typeof props.BucketName !== "string") throw new DeclarationError(`resources.${logicalId}: BucketName is required for the local cloud`);
      buckets.push({ logicalId, name: props.BucketName });
    }
  }
  const queueIds = new Set(queues.map((q) => q.logicalId));
  for (const queue of queues) {
    if (queue.redrive && !queueIds.has(queue.redrive.deadLetterLogicalId)) {
      throw new DeclarationError(`resources.${queue.logicalId}.RedrivePolicy: dead-letter queue ${queue.redrive.deadLetterLogicalId} is not declared`);
    }
  }
  // Dead-letter queues first: their ARNs go into the source queues' redrive policies.
  queues.sort((a, b) => Number(a.redrive !== undefined) - Number(b.redrive !== undefined));

  const eventSources: SqsEventSpec[] = [];
  for (const [functionKey, fn] of Object.entries(functions)) {
    for (const [index, event] of (fn.events ?? []).entries()) {
      const sqs = event.sqs as Record<string, unknown> | undefined;
      if (!sqs) continue;
      const where = `functions.${functionKey}.events[${index}].sqs`;
      const queueLogicalId = logicalIdOf(sqs.arn, `${where}.arn`);
      if (!queueIds.has(queueLogicalId)) throw new DeclarationError(`${where}.arn: queue ${queueLogicalId} is not declared in resources`);
      eventSources.push({
        functionKey,
        functionName: fn.name ?? functionKey,
        queueLogicalId,
        batchSize: Number(sqs.batchSize ?? 10),
        maximumBatchingWindowSeconds: Number(sqs.maximumBatchingWindow ?? 0),
        batchingWindowDeclared: sqs.maximumBatchingWindow !== undefined && sqs.maximumBatchingWindow !== null,
        maximumConcurrency: Number(sqs.maximumConcurrency ?? DEFAULT_LOCAL_CONCURRENCY),
        reportBatchItemFailures: sqs.functionResponseType === "ReportBatchItemFailures",
        functionTimeout: fn.timeout ?? defaultTimeout,
      });
    }
  }
  return { queues, buckets, eventSources };
}
