import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { fifoToken, isFifoQueue } from "../../../contracts/messageGroups.ts";
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
    const url = await this.dlqUrl();
    // A FIFO queue's DLQ is FIFO too: the record keeps its group; its message id is unique.
    const fifo = isFifoQueue(url) ? { MessageGroupId: record.attributes?.MessageGroupId ?? "dead-letters", MessageDeduplicationId: fifoToken(record.messageId) } : {};
    await this.sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: attributes, ...fifo }));
  }
}
