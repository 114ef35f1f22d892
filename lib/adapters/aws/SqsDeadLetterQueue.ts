import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { DeadLetterSink } from "../../queue/DeadLetterSink.ts";
import type { QueueRecord } from "../../queue/QueueRecord.ts";
import { deadLetterMessage } from "./deadLetterMessage.ts";

/** Sends a poison record to its SQS dead-letter queue, the reason among its attributes. */
export class SqsDeadLetterQueue implements DeadLetterSink {
  constructor(
    private readonly sqs: SQSClient,
    private readonly dlqUrl: () => Promise<string>,
  ) {}

  async send(record: QueueRecord, reason: string): Promise<void> {
    const { body, attributes } = deadLetterMessage(record, reason, new Date());
    await this.sqs.send(new SendMessageCommand({ QueueUrl: await this.dlqUrl(), MessageBody: body, MessageAttributes: attributes }));
  }
}
