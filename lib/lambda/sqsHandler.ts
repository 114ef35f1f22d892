// The SQS trigger: one handler factory for every queue consumer, with
// ReportBatchItemFailures. The domain's `consume` gets the batch's valid
// messages; lib/queue/processQueueBatch.ts validates envelopes, dead-letters
// poison with its reason and reports exactly the records to retry.
import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { z } from "zod";
import type { PayloadRef } from "../../contracts/envelope.ts";
import { onceUntilRejected } from "../async/onceUntilRejected.ts";
import type { DeadLetterSink } from "../queue/DeadLetterSink.ts";
import { processQueueBatch, type BatchOutcome, type ConsumedMessage } from "../queue/processQueueBatch.ts";
import { invocationOf, type Invocation } from "./Invocation.ts";

export interface SqsHandlerOptions<P> {
  logger: Logger;
  payloadSchemas: Readonly<Record<string, z.ZodType<P>>>;
  /** Where poison messages go, with their reason (lib/adapters/aws/queueConsumerAdapters.ts). */
  deadLetter: DeadLetterSink;
  /** Loads a claim-checked payload; throws PoisonMessageError if it can never be found. */
  resolvePayload: (ref: PayloadRef) => Promise<unknown>;
  /** Runs once per container before the first batch (e.g. index templates); a failure retries the batch. */
  prepare?: () => Promise<unknown>;
  /** The batch's valid messages; `invocation` tells the time left before the Lambda timeout. */
  consume: (messages: ConsumedMessage<P>[], invocation: Invocation) => Promise<BatchOutcome | void>;
}

/** A queue consumer: the batch's correlation ids on every log line, partial batch failures reported. */
export function sqsHandler<P>(options: SqsHandlerOptions<P>) {
  const { logger, deadLetter, resolvePayload } = options;
  const prepare = onceUntilRejected(async () => options.prepare?.());

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
            return await options.consume(messages, invocationOf(context));
          } finally {
            logger.removeKeys(["correlationIds"]);
          }
        },
      });
    });
}
