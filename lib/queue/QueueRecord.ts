// A queue message as a consumer receives it, and the consumer's answer: the
// shapes of an SQS record in Lambda's event and of ReportBatchItemFailures,
// declared here so the queue contract needs no Lambda types.

export interface QueueMessageAttribute {
  dataType: string;
  stringValue?: string;
  /** Base64, as Lambda's event carries binary attributes. */
  binaryValue?: string;
}

export interface QueueRecord {
  messageId: string;
  body: string;
  /** `ApproximateReceiveCount`: deliveries so far, this one included. */
  attributes?: { ApproximateReceiveCount?: string; /** FIFO queues only. */ MessageGroupId?: string };
  messageAttributes?: Record<string, QueueMessageAttribute>;
  /** The queue the record came from (an ARN), named in what is dead-lettered. */
  eventSourceARN?: string;
}

/** The records whose effect was not stored: they return to the queue (ReportBatchItemFailures). */
export interface BatchItemFailures {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}
