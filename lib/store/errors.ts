// Errors named after what the caller should do next.
//
// - RetryableStoreError: the write did not happen (or may not have) for a
//   reason that passes (429, 5xx, timeout, lost optimistic-concurrency race).
//   Fail the SQS record; redelivery repeats an idempotent write.
// - PermanentStoreError: the input can never be stored as it is (mapping
//   conflict, invalid field). Send the record to the DLQ with `reason`.
// - A wrong configuration is a ConfigError (lib/config), naming the variable.

import { PermanentError, TransientError } from "../errors/failure.ts";

export interface StoreErrorDetails {
  /** OpenSearch error type, e.g. `mapper_parsing_exception`, or a local one. */
  type: string;
  /** HTTP-like status of the item, when there was one. */
  status?: number;
  index?: string;
  id?: string;
}

/** A store failure: an OpenSearch error type, status and document where there was one. */
export type StoreError = RetryableStoreError | PermanentStoreError;

function describe(error: Error & StoreErrorDetails): string {
  const where = error.index !== undefined ? ` [${error.index}/${error.id ?? ""}]` : "";
  return `${error.type}${error.status !== undefined ? ` (${error.status})` : ""}${where}: ${error.message}`;
}

/** Retry later: redelivering the same input is expected to succeed. */
export class RetryableStoreError extends TransientError {
  override readonly name: string = "RetryableStoreError";
  readonly retryable = true;
  readonly type: string;
  readonly status: number | undefined;
  readonly index: string | undefined;
  readonly id: string | undefined;

  constructor(message: string, details: StoreErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    ({ type: this.type, status: this.status, index: this.index, id: this.id } = details);
  }

  /** One line for logs and DLQ reasons. */
  get reason(): string {
    return describe(this);
  }
}

/** Optimistic concurrency lost too many times in a row; a retryable error. */
export class ConcurrentUpdateError extends RetryableStoreError {
  override readonly name: string = "ConcurrentUpdateError";
}

/** Never retry: the input is at fault; route it to the dead-letter queue. */
export class PermanentStoreError extends PermanentError {
  override readonly name: string = "PermanentStoreError";
  readonly retryable = false;
  readonly type: string;
  readonly status: number | undefined;
  readonly index: string | undefined;
  readonly id: string | undefined;

  constructor(message: string, details: StoreErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    ({ type: this.type, status: this.status, index: this.index, id: this.id } = details);
  }

  get reason(): string {
    return describe(this);
  }

  override deadLetterReason(): string {
    return `store refused: ${describe(this)}`;
  }
}

/** Status codes of a bulk item or request that are worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

export function storeErrorFromStatus(
  status: number,
  type: string,
  message: string,
  where: { index?: string; id?: string } = {},
): StoreError {
  const details = { type, status, ...where };
  return isRetryableStatus(status)
    ? new RetryableStoreError(message, details)
    : new PermanentStoreError(message, details);
}
