import { CreateBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { DeclaredResources } from "./declaredResources.ts";
import { moveToFifoQueues } from "./moveToFifoQueues.ts";

export interface CreatedQueue {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
  deadLetterQueue?: string;
}

export interface CreatedResources {
  queues: Map<string, CreatedQueue>;
  buckets: string[];
  /** Messages moved from a standard queue left from before its FIFO namesake, per old queue. */
  movedToFifo: Map<string, number>;
}

/** Creates the declared queues (dead-letter queues first) and buckets; safe to run again. */
export async function bootstrapResources(sqs: SQSClient, s3: S3Client, declared: DeclaredResources): Promise<CreatedResources> {
  const queues = new Map<string, CreatedQueue>();
  for (const spec of declared.queues) {
    const attributes = { ...spec.attributes };
    let deadLetterQueue: string | undefined;
    if (spec.redrive) {
      const dlq = queues.get(spec.redrive.deadLetterLogicalId)!;
      deadLetterQueue = dlq.name;
      attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.redrive.maxReceiveCount });
    }
    const QueueUrl = await createOrUpdateQueue(sqs, spec.name, attributes);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
    queues.set(spec.logicalId, {
      logicalId: spec.logicalId,
      name: spec.name,
      url: QueueUrl!,
      arn: Attributes!.QueueArn!,
      ...(deadLetterQueue ? { deadLetterQueue } : {}),
    });
  }
  const movedToFifo = await moveToFifoQueues(sqs, queues.values());
  for (const bucket of declared.buckets) {
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw error;
    }
  }
  return { queues, buckets: declared.buckets.map((b) => b.name), movedToFifo };
}

async function createOrUpdateQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<string> {
  try {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    return QueueUrl!;
  } catch (error) {
    const code = (error as { name?: string }).name ?? "";
    if (!/QueueNameExists|QueueAlreadyExists/.test(code)) throw error;
    // An existing queue (e.g. LocalStack kept it) gets the declared attributes; FifoQueue cannot change.
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    const { FifoQueue: _immutable, ...mutable } = attributes;
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: mutable }));
    return QueueUrl!;
  }
}
