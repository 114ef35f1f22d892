import type { Envelope } from "../../contracts/envelope.ts";

/**
 * Puts envelopes on a queue (lib/adapters/aws/QueueProducer.ts: SQS, within its
 * batch and size limits, large payloads claim-checked). `queueUrl` is the
 * queue's address as the adapter resolves it from its name.
 */
export interface MessageProducer {
  send(queueUrl: string, envelopes: readonly Envelope[]): Promise<void>;
}
