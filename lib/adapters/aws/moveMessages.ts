import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type Message,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";

export interface MoveOptions {
  /** At most this many messages (default: until the source is empty). */
  max?: number;
  /** What a message is sent as (its body, attributes, FIFO group …); `Id` is set here. */
  entry: (message: Message) => Omit<SendMessageBatchRequestEntry, "Id">;
  /** The error thrown when the target refuses some: they stay in the source. */
  refused: (count: number, reason: string) => Error;
}

/**
 * Moves messages between two queues, ten at a time. Each message is sent before it
 * is deleted, so a crash mid-way duplicates at worst, never loses; consumers are
 * idempotent. Returns how many moved.
 */
export async function moveMessages(sqs: SQSClient, fromUrl: string, toUrl: string, options: MoveOptions): Promise<number> {
  const max = options.max ?? Infinity;
  let moved = 0;
  while (moved < max) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: fromUrl,
        MaxNumberOfMessages: Math.min(10, max - moved),
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["MessageGroupId"],
      }),
    );
    if (Messages.length === 0) break;
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: toUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ...options.entry(m) })) }));
    if (sent.Failed?.length) throw options.refused(sent.Failed.length, sent.Failed[0]!.Message ?? sent.Failed[0]!.Code ?? "refused");
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: fromUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    moved += Messages.length;
  }
  return moved;
}
