import type { PayloadRef } from "../../../contracts/envelope.ts";
import { envOptional, envString } from "../../config/readEnv.ts";
import type { DeadLetterSink } from "../../queue/DeadLetterSink.ts";
import { createS3Client, createSqsClient } from "./clients.ts";
import { queueUrlResolver } from "./queueUrl.ts";
import { s3PayloadResolver } from "./s3PayloadResolver.ts";
import { SqsDeadLetterQueue } from "./SqsDeadLetterQueue.ts";

type Env = Record<string, string | undefined>;

export interface QueueConsumerAdapters {
  deadLetter: DeadLetterSink;
  resolvePayload: (ref: PayloadRef) => Promise<unknown>;
}

/**
 * What a queue consumer reads and writes besides its batch: its dead-letter
 * queue (the name in `deadLetterQueueEnv`) and the claim-checked payloads.
 * Clients are created once per container, here.
 */
export function queueConsumerAdapters(deadLetterQueueEnv: string, env: Env = process.env): QueueConsumerAdapters {
  const sqs = createSqsClient();
  const s3 = createS3Client();
  // Producers claim-check into RAW_BUCKET under payloads/; a reference elsewhere is refused, not fetched.
  const claimCheckBucket = envOptional(env, "RAW_BUCKET");
  return {
    deadLetter: new SqsDeadLetterQueue(sqs, queueUrlResolver(sqs, envString(env, deadLetterQueueEnv))),
    resolvePayload: s3PayloadResolver(s3, claimCheckBucket ? { bucket: claimCheckBucket } : undefined),
  };
}
