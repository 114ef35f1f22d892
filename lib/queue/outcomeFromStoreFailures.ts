import type { StoreError } from "../store/errors.ts";
import type { BatchOutcome } from "./processQueueBatch.ts";

/** Retryable store failures return to the queue; permanent ones go to the DLQ with the store's reason. */
export function outcomeFromStoreFailures(failed: ReadonlyMap<string, StoreError>): BatchOutcome {
  const failedMessageIds: string[] = [];
  const deadLetters: Array<readonly [string, string]> = [];
  for (const [messageId, error] of failed) {
    if (error.retryable) failedMessageIds.push(messageId);
    else deadLetters.push([messageId, `store refused: ${error.reason}`]);
  }
  return { failedMessageIds, deadLetters };
}
