import { DeleteQueueCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { moveMessages } from "../../lib/adapters/aws/moveMessages.ts";
import { fifoToken, messageGroupOf } from "../../contracts/messageGroups.ts";
import type { CreatedQueue } from "./bootstrapResources.ts";

/**
 * A local cloud kept from before a queue became FIFO still holds the standard queue of
 * the same name without `.fifo` (price-tasks before it was grouped by symbol), perhaps
 * with messages a producer was told were accepted. They are moved into the FIFO queue
 * (grouped as a producer groups it; lib/adapters/aws/moveMessages.ts), then the old queue
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
    const n = await moveMessages(sqs, oldUrl, fifo.url, {
      entry: (m) => ({
        MessageBody: m.Body!,
        ...(m.MessageAttributes ? { MessageAttributes: m.MessageAttributes } : {}),
        MessageGroupId: groupOfBody(m.Body!),
        MessageDeduplicationId: fifoToken(m.MessageId!),
      }),
      refused: (count, reason) => new Error(`could not move ${count} message(s) from ${oldName} to ${fifo.name}: ${reason}`),
    });
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
