import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Context, SQSEvent } from "aws-lambda";
import { EventSourceMapping } from "../../localcloud/esm/EventSourceMapping.ts";
import type { EventSourceMappingSettings } from "../../localcloud/esm/types.ts";
import { lambdaContext } from "./lambdaContext.ts";

/**
 * A queue consumed by a handler called in-process, through the local event source
 * mapping with the function.yml's settings (batches of 10, no window, two at once,
 * partial failures) unless `settings` says otherwise. A thrown handler is an
 * invocation error, as Lambda reports it. Not started: call `start()`.
 */
export function mapQueueToHandler(
  sqs: SQSClient,
  queue: { url: string; arn: string },
  functionName: string,
  handler: (event: SQSEvent, context: Context) => Promise<unknown>,
  settings: Partial<EventSourceMappingSettings> = {},
): EventSourceMapping {
  return new EventSourceMapping(
    sqs,
    { functionName, queueUrl: queue.url, queueArn: queue.arn, batchSize: 10, maximumBatchingWindowSeconds: 0, maximumConcurrency: 2, reportBatchItemFailures: true, region: "us-east-1", ...settings },
    async (_fn, event: SQSEvent) => {
      try {
        return { ok: true, payload: await handler(event, lambdaContext(functionName)) };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
  );
}
