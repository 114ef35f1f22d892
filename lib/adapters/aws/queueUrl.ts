import { GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";

/**
 * Resolves a queue name to its URL once per container. Names, not URLs, are
 * configured so that the same setting works in AWS and against the local cloud.
 */
export function queueUrlResolver(sqs: SQSClient, queueName: string): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= sqs.send(new GetQueueUrlCommand({ QueueName: queueName })).then(
      (r) => r.QueueUrl!,
      (error: unknown) => {
        cached = undefined;
        throw error;
      },
    );
    return cached;
  };
}
