// The one retry-or-poison model, named by what happens next (STYLE.md): a queue
// consumer's record that failed with a PermanentError goes to its dead-letter
// queue at once with the error's reason; anything else returns to the queue and
// is tried again (after maxReceiveCount receives SQS dead-letters it anyway).

/** Can never succeed as it is (bad input, refused by a mapping, a missing claim-check object). */
export class PermanentError extends Error {
  /** What the dead-lettered record carries as its reason. */
  deadLetterReason(): string {
    return this.message;
  }
}

/** Did not succeed now and may next time (an endpoint down, a 429, a lost race). */
export class TransientError extends Error {}
