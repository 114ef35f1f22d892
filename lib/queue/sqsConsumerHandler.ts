import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { z } from "zod";
import { onceUntilRejected } from "../async/onceUntilRejected.ts";
import { createS3Client, createSqsClient } from "../aws/clients.ts";
import { envOptional, envString } from "../config/readEnv.ts";
import { SqsDeadLetterQueue } from "./DeadLetterQueue.ts";
import { processQueueBatch, type BatchOutcome, type ConsumedMessage } from "./processQueueBatch.ts";
import { queueUrlResolver } from "./queueUrl.ts";
import { s3PayloadResolver } from "./s3PayloadResolver.ts";

export interface SqsConsumerOptions<P> {
  logger: Logger;
  /** Environment variable holding the dead-letter queue's name. */
  deadLetterQueueEnv: string;
  payloadSchemas: Readonly<Record<string, z.ZodType<P>>>;
  /** Runs once per container before the first batch (e.g. index templates); a failure retries the batch. */
  prepare?: () => Promise<unknown>;
  /** The batch's valid messages; `context` tells the time left before the Lambda timeout. */
  consume: (messages: ConsumedMessage<P>[], context: Context) => Promise<BatchOutcome | void>;
}

/**
 * The wiring every SQS consumer shares: clients created once per container,
 * envelope validation, poison messages to the DLQ with their reason,
 * claim-checked payloads from S3, and ReportBatchItemFailures.
 */
export function sqsConsumerHandler<P>(options: SqsConsumerOptions<P>) {
  const sqs = createSqsClient();
  const s3 = createS3Client();
  const deadLetter = new SqsDeadLetterQueue(sqs, queueUrlResolver(sqs, envString(process.env, options.deadLetterQueueEnv)));
  // Producers claim-check into RAW_BUCKET under payloads/; a reference elsewhere is refused, not fetched.
  const claimCheckBucket = envOptional(process.env, "RAW_BUCKET");
  const resolvePayload = s3PayloadResolver(s3, claimCheckBucket ? { bucket: claimCheckBucket } : undefined);
  const prepare = onceUntilRejected(async () => options.prepare?.());
  const { logger } = options;

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger))
    .handler(async (event, context) => {
      await prepare();
      return processQueueBatch(event, {
        payloadSchemas: options.payloadSchemas,
        deadLetter,
        resolvePayload,
        logger,
        handle: async (messages) => {
          logger.appendKeys({ correlationIds: [...new Set(messages.map((m) => m.envelope.correlationId))] });
          try {
            return await options.consume(messages, context);
          } finally {
            logger.removeKeys(["correlationIds"]);
          }
        },
      });
    });
}
