import {
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { fifoToken, messageGroupOf } from "../../contracts/messageGroups.ts";
import type { CreatedQueue } from "./bootstrapResources.ts";

/**
 * A local cloud kept from before a queue became FIFO still holds the standard queue of
 * the same name without `.fifo` (price-tasks before it was grouped by symbol), perhaps
 * with messages a producer was told were accepted. They are moved into the FIFO queue
 * (each sent before it is deleted, grouped as a producer groups it), then the old queue
 * is deleted. Returns how many messages moved, per old queue.
 */
export async function moveToFifoQueues(sqs: SQSClient, queues: Iterable<CreatedQueue>): Promise<Map<string, number>> {
  const moved = new Map<string, number>();
  const all = [...queues];
  const declared = new Set(all.map((q) => q.name));
  for (const fifo of all) {
    if (!fifo.name.endsWith(".fifo")) continue;
    const oldName = fifo.name.slice(0, -".fifo".length);
    if (declared.has(oldName)) continue; // both declared: the standard one is not a leftover

    const oldUrl = await sqs.send(new GetQueueUrlCommand({ QueueName: oldName })).then(
      (r) => r.QueueUrl,
      () => undefined,
    );
    if (!oldUrl) continue;
    let n = 0;
    for (;;) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: oldUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: 0, MessageAttributeNames: ["All"] }));
      if (Messages.length === 0) break;
      const sent = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: fifo.url,
          Entries: Messages.map((m, i) => ({
            Id: String(i),
            MessageBody: m.Body!,
            ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
            MessageGroupId: groupOfBody(m.Body!),
            MessageDeduplicationId: fifoToken(m.MessageId!),
          })),
        }),
      );
      if (sent.Failed?.length) throw new Error(`could not move ${sent.Failed.length} message(s) from ${oldName} to ${fifo.name}: ${sent.Failed[0]!.Message}`);
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: oldUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
      n += Messages.length;
    }
    await sqs.send(new DeleteQueueCommand({ QueueUrl: oldUrl }));
    moved.set(oldName, n);
  }
  return moved;
}

function groupOfBody(body: string): string {
  try {
    return messageGroupOf(JSON.parse(body));
  } catch {
    return "moved";
  }
}
