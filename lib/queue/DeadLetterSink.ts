import type { QueueRecord } from "./QueueRecord.ts";

/** Where a message that can never succeed goes, with the reason beside it (lib/adapters/aws/SqsDeadLetterQueue.ts). */
export interface DeadLetterSink {
  send(record: QueueRecord, reason: string): Promise<void>;
}
