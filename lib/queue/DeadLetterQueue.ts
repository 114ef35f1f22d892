import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { deadLetterMessage } from "./deadLetterMessage.ts";

export { DEAD_LETTER_ATTRIBUTES } from "./deadLetterMessage.ts";

/** Where a message that can never succeed goes, with the reason beside it. */
export interface DeadLetterSink {
  send(record: SQSRecord, reason: string): Promise<void>;
}

export class SqsDeadLetterQueue implements DeadLetterSink {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrl: () => Promise<string>,
  ) {}

  async send(record: SQSRecord, reason: string): Promise<void> {
    const { body, attributes } = deadLetterMessage(record, reason, new Date());
    await this.sqs.send(new SendMessageCommand({ QueueUrl: await this.dlqUrl(), MessageBody: body, MessageAttributes: attributes }));
  }
}
