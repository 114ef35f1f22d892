/** AWS limits for one SendMessageBatch call (and the queues' MaximumMessageSize). */
export interface BatchLimits {
  maxEntries: number;
  maxMessageBytes: number;
  maxBatchBytes: number;
}

export const SQS_LIMITS: BatchLimits = { maxEntries: 10, maxMessageBytes: 262_144, maxBatchBytes: 262_144 };

export interface SizedMessage {
  bytes: number;
}

/**
 * Groups messages, in order, into batches that respect the entry count and the
 * total size limit. A message larger than maxMessageBytes is the caller's to
 * handle (claim check) and is rejected here.
 */
export function planBatches<M extends SizedMessage>(messages: readonly M[], limits: BatchLimits = SQS_LIMITS): M[][] {
  const batches: M[][] = [];
  let current: M[] = [];
  let currentBytes = 0;
  for (const message of messages) {
    if (message.bytes > limits.maxMessageBytes) {
      throw new RangeError(`message of ${message.bytes} bytes exceeds the ${limits.maxMessageBytes}-byte limit`);
    }
    if (current.length === limits.maxEntries || currentBytes + message.bytes > limits.maxBatchBytes) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(message);
    currentBytes += message.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
