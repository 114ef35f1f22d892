import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { bootstrapResources, type CreatedResources } from "../../localcloud/resources/bootstrapResources.ts";
import type { DeclaredResources, QueueSpec } from "../../localcloud/resources/declaredResources.ts";
import { startSqsS3, type SqsS3Endpoint } from "../../localcloud/sqs-s3/startSqsS3.ts";

export interface LocalSqsS3 {
  endpoint: SqsS3Endpoint;
  sqs: SQSClient;
  s3: S3Client;
  close(): Promise<void>;
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** A fresh emulator on a free port with clients pointed at it. */
export async function startLocalSqsS3(dataDir?: string): Promise<LocalSqsS3> {
  const endpoint = await startSqsS3({ port: 0, ...(dataDir ? { dataDir } : {}) });
  const sqs = new SQSClient({ region: "us-east-1", endpoint: endpoint.url, credentials });
  const s3 = new S3Client({ region: "us-east-1", endpoint: endpoint.url, credentials, forcePathStyle: true });
  return {
    endpoint,
    sqs,
    s3,
    async close() {
      sqs.destroy();
      s3.destroy();
      await endpoint.close();
    },
  };
}

/** A queue with its dead-letter queue, declared as serverless.yml would. */
export function queueWithDlq(name: string, opts: { visibilityTimeout: number; maxReceiveCount: number; fifo?: boolean }): QueueSpec[] {
  const suffix = opts.fifo ? ".fifo" : "";
  const fifoAttrs: Record<string, string> = opts.fifo ? { FifoQueue: "true", ContentBasedDeduplication: "true" } : {};
  return [
    { logicalId: `${name}Dlq`, name: `${name}-dlq${suffix}`, fifo: !!opts.fifo, attributes: { ...fifoAttrs } },
    {
      logicalId: name,
      name: `${name}${suffix}`,
      fifo: !!opts.fifo,
      attributes: { VisibilityTimeout: String(opts.visibilityTimeout), ...fifoAttrs },
      redrive: { deadLetterLogicalId: `${name}Dlq`, maxReceiveCount: opts.maxReceiveCount },
    },
  ];
}

export function createQueues(cloud: LocalSqsS3, queues: QueueSpec[]): Promise<CreatedResources> {
  const declared: DeclaredResources = { queues, buckets: [], eventSources: [] };
  return bootstrapResources(cloud.sqs, cloud.s3, declared);
}
