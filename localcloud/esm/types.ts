import type { SQSEvent } from "aws-lambda";

/** An SQS event source mapping as declared on a function's `sqs` event. */
export interface EventSourceMappingSettings {
  functionName: string;
  queueUrl: string;
  queueArn: string;
  /** 1..10000 (1..10 for FIFO queues). */
  batchSize: number;
  /** 0..300 seconds: how long to gather records before invoking. */
  maximumBatchingWindowSeconds: number;
  /** At most this many invocations of this mapping at once. */
  maximumConcurrency: number;
  /** ReportBatchItemFailures: only the ids the function returns go back to the queue. */
  reportBatchItemFailures: boolean;
  region: string;
}

/** What came back from invoking the function. */
export type InvokeResult =
  | { ok: true; payload: unknown }
  /** The function threw, timed out or could not be invoked: the whole batch returns to the queue. */
  | { ok: false; error: string };

export type Invoker = (functionName: string, event: SQSEvent) => Promise<InvokeResult>;

export interface MappingStats {
  invocations: number;
  recordsDelivered: number;
  recordsDeleted: number;
  recordsReturned: number;
  failedInvocations: number;
  inFlight: number;
  maxInFlightSeen: number;
}
