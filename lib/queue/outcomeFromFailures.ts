import { PermanentError } from "../errors/failure.ts";
import type { BatchOutcome } from "./processQueueBatch.ts";

/** Records that failed: a PermanentError goes to the DLQ with its reason, anything else returns to the queue. */
export function outcomeFromFailures(failed: ReadonlyMap<string, Error>): BatchOutcome {
  const failedMessageIds: string[] = [];
  const deadLetters: Array<readonly [string, string]> = [];
  for (const [messageId, error] of failed) {
    if (error instanceof PermanentError) deadLetters.push([messageId, error.deadLetterReason()]);
    else failedMessageIds.push(messageId);
  }
  return { failedMessageIds, deadLetters };
}
