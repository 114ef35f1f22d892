/**
 * Errors named by what should happen next (STYLE.md): a poison message goes to
 * the dead-letter queue with its reason; a retryable failure returns the record
 * to the queue for another attempt.
 */
export class PoisonMessageError extends Error {
  override readonly name = "PoisonMessageError";
  constructor(
    /** Path of the offending field, e.g. `payload.url`, or `body` for the whole message. */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export class RetryableError extends Error {
  override readonly name = "RetryableError";
}
