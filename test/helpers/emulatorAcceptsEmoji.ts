import { CreateQueueCommand, DeleteQueueCommand, SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";

/**
 * Whether the local SQS emulator accepts characters above U+FFFF, as real SQS
 * does. fauxqs 1.x refuses every emoji (its character check lacks the regular
 * expression's `u` flag); the emulator fix made in main accepts them. Tests
 * that send emoji through the emulator assert our own validation always, and
 * the emulator-dependent part (the message on the queue) only once this is true.
 */
export async function emulatorAcceptsEmoji(sqs: SQSClient): Promise<boolean> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "emoji-probe" }));
  try {
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "probe 🚀" }));
    return true;
  } catch (error) {
    if ((error as Error).name.endsWith("InvalidMessageContents")) return false;
    throw error;
  } finally {
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
  }
}
