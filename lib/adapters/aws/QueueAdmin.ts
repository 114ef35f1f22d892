import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { fifoToken, isFifoQueue } from "../../../contracts/messageGroups.ts";
import { DEAD_LETTER_ATTRIBUTES } from "./deadLetterMessage.ts";
import { moveMessages } from "./moveMessages.ts";

export interface QueueStatus {
  name: string;
  url: string;
  arn: string;
  /** Messages available for delivery. */
  depth: number;
  /** Received but neither deleted nor returned yet. */
  inFlight: number;
  delayed: number;
  /** The dead-letter queue this queue redrives to, with its depth. */
  deadLetter?: { name: string; depth: number; maxReceiveCount: number };
  /** Set on a dead-letter queue: the queues that redrive into it. */
  deadLetterFor: string[];
}

export interface PeekedMessage {
  messageId: string;
  receiveCount: number;
  sentAt: string;
  body: string;
  failureReason?: string;
  attributes: Record<string, string>;
}

/** Something the operator asked for cannot be done as asked; says what instead. */
export class QueueAdminError extends Error {
  override readonly name = "QueueAdminError";
}

const nameOfUrl = (url: string) => url.slice(url.lastIndexOf("/") + 1);
const nameOfArn = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);

/** Operator commands over the project's queues, in the spirit of `rabbitmqctl`. */
export class QueueAdmin {
  constructor(
    private readonly sqs: SQSClient,
    /** Only queues whose name starts with this are shown (e.g. `cryptoviz-local-`). */
    private readonly prefix: string,
  ) {}

  async list(): Promise<QueueStatus[]> {
    const urls: string[] = [];
    let next: string | undefined;
    do {
      const page = await this.sqs.send(new ListQueuesCommand({ QueueNamePrefix: this.prefix, NextToken: next, MaxResults: 1000 }));
      urls.push(...(page.QueueUrls ?? []));
      next = page.NextToken;
    } while (next);
    const raw = await Promise.all(
      urls.map(async (url) => {
        const { Attributes = {} } = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
        return { url, attributes: Attributes };
      }),
    );
    const byArn = new Map(raw.map((q) => [q.attributes.QueueArn ?? "", q]));
    const statuses: QueueStatus[] = raw.map(({ url, attributes }) => ({
      name: nameOfUrl(url),
      url,
      arn: attributes.QueueArn ?? "",
      depth: Number(attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      delayed: Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0),
      deadLetterFor: [],
    }));
    const byName = new Map(statuses.map((s) => [s.name, s]));
    for (const { url, attributes } of raw) {
      if (!attributes.RedrivePolicy) continue;
      const policy = JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
      const dlq = byArn.get(policy.deadLetterTargetArn);
      const source = byName.get(nameOfUrl(url))!;
      const dlqName = nameOfArn(policy.deadLetterTargetArn);
      source.deadLetter = {
        name: dlqName,
        depth: dlq ? Number(dlq.attributes.ApproximateNumberOfMessages ?? 0) : 0,
        maxReceiveCount: Number(policy.maxReceiveCount),
      };
      byName.get(dlqName)?.deadLetterFor.push(source.name);
    }
    return statuses.sort((a, b) => a.name.localeCompare(b.name));
  }

  async status(name: string): Promise<QueueStatus> {
    // `price-tasks` finds `price-tasks.fifo` too: the suffix is SQS's, not part of what users call it.
    const names = [name, `${this.prefix}${name}`].flatMap((n) => [n, `${n}.fifo`]);
    const status = (await this.list()).find((q) => names.includes(q.name));
    if (!status) {
      const known = (await this.list()).map((q) => q.name).join(", ") || "none";
      throw new QueueAdminError(`no queue named "${name}" (queues: ${known})`);
    }
    return status;
  }

  /**
   * Shows up to `max` messages without consuming them. Each is received once
   * (hidden while the page is collected, so none is counted twice) and then made
   * visible again. SQS counts that receive: peeking a source queue moves a
   * message one step closer to its maxReceiveCount.
   */
  async peek(name: string, max = 10): Promise<PeekedMessage[]> {
    const queue = await this.status(name);
    const seen = new Map<string, Message>();
    try {
      while (seen.size < max) {
        const { Messages = [] } = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queue.url,
            MaxNumberOfMessages: Math.min(10, max - seen.size),
            VisibilityTimeout: 30,
            WaitTimeSeconds: 0,
            MessageSystemAttributeNames: ["All"],
            MessageAttributeNames: ["All"],
          }),
        );
        if (Messages.length === 0) break;
        for (const m of Messages) seen.set(m.MessageId!, m);
      }
    } finally {
      const handles = [...seen.values()];
      for (let i = 0; i < handles.length; i += 10) {
        await this.sqs.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queue.url,
            Entries: handles.slice(i, i + 10).map((m, n) => ({ Id: String(n), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
          }),
        );
      }
    }
    return [...seen.values()].map(toPeeked);
  }

  async purge(name: string): Promise<number> {
    const queue = await this.status(name);
    await this.sqs.send(new PurgeQueueCommand({ QueueUrl: queue.url }));
    return queue.depth;
  }

  /**
   * Moves messages from a dead-letter queue back to the queue that feeds it
   * (after the cause is fixed), sent before deleted (moveMessages.ts).
   */
  async redrive(dlqName: string, options: { max?: number; to?: string } = {}): Promise<number> {
    const dlq = await this.status(dlqName);
    const targets = options.to ? [(await this.status(options.to)).name] : dlq.deadLetterFor;
    if (targets.length !== 1) {
      throw new QueueAdminError(
        targets.length === 0
          ? `"${dlq.name}" is not the dead-letter queue of any queue; name the target with --to`
          : `"${dlq.name}" is the dead-letter queue of ${targets.join(", ")}; choose one with --to`,
      );
    }
    const target = await this.status(targets[0]!);
    const redriveId = Date.now().toString(36);
    return moveMessages(this.sqs, dlq.url, target.url, {
      ...(options.max !== undefined ? { max: options.max } : {}),
      entry: (m) => ({
        MessageBody: m.Body!,
        MessageAttributes: withoutFailureAttributes(m),
        // Back into a FIFO queue: the message's own group, and a deduplication id of this
        // redrive (the original send's id may still be within SQS's five-minute window).
        ...(isFifoQueue(target.url) ? { MessageGroupId: m.Attributes?.MessageGroupId ?? "redriven", MessageDeduplicationId: fifoToken(`${m.MessageId}:${redriveId}`) } : {}),
      }),
      refused: (count, reason) => new QueueAdminError(`could not send ${count} message(s) to ${target.name}: ${reason}; they stay in ${dlq.name}`),
    });
  }
}

const FAILURE_ATTRIBUTES = new Set<string>(Object.values(DEAD_LETTER_ATTRIBUTES));

function withoutFailureAttributes(message: Message): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (!FAILURE_ATTRIBUTES.has(name)) out[name] = { DataType: value.DataType, StringValue: value.StringValue, BinaryValue: value.BinaryValue };
  }
  return out;
}

function toPeeked(m: Message): PeekedMessage {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) attributes[name] = value.StringValue ?? "(binary)";
  const reason = attributes[DEAD_LETTER_ATTRIBUTES.reason];
  return {
    messageId: m.MessageId!,
    receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
    sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString(),
    body: m.Body ?? "",
    ...(reason ? { failureReason: reason } : {}),
    attributes,
  };
}
