import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";

/** Where a message that can never succeed goes, with the reason beside it. */
export interface DeadLetterSink {
  send(record: SQSRecord, reason: string): Promise<void>;
}

/** Message attribute names carried by dead-lettered messages (read by `npm run queues -- peek`). */
export const DEAD_LETTER_ATTRIBUTES = {
  reason: "cryptoviz-failure-reason",
  sourceQueue: "cryptoviz-source-queue",
  originalMessageId: "cryptoviz-original-message-id",
  failedAt: "cryptoviz-failed-at",
} as const;

export class SqsDeadLetterQueue implements DeadLetterSink {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrl: () => Promise<string>,
  ) {}

  async send(record: SQSRecord, reason: string): Promise<void> {
    const attributes: Record<string, { DataType: string; StringValue: string }> = {};
    for (const [name, value] of Object.entries(record.messageAttributes ?? {})) {
      if (value.stringValue !== undefined) attributes[name] = { DataType: value.dataType, StringValue: value.stringValue };
    }
    const put = (name: string, value: string) => (attributes[name] = { DataType: "String", StringValue: value.slice(0, 1024) });
    put(DEAD_LETTER_ATTRIBUTES.reason, reason);
    put(DEAD_LETTER_ATTRIBUTES.sourceQueue, record.eventSourceARN);
    put(DEAD_LETTER_ATTRIBUTES.originalMessageId, record.messageId);
    put(DEAD_LETTER_ATTRIBUTES.failedAt, new Date().toISOString());
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: await this.dlqUrl(), MessageBody: record.body, MessageAttributes: attributes }),
    );
  }
}
