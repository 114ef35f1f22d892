import { setMaxListeners } from "node:events";
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import type { SQSEvent, SQSRecord } from "aws-lambda";
import { isFifoQueue } from "../../contracts/messageGroups.ts";
import { recordsToDelete } from "./batchResponse.ts";
import type { EventSourceMappingSettings, Invoker, MappingStats } from "./types.ts";

/** Lambda refuses synchronous payloads over 6 MB; gathering stops below that. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024 - 64 * 1024;
const LONG_POLL_SECONDS = 20;

export interface MappingLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
}

const silent: MappingLogger = { info() {}, warn() {} };

/**
 * A local SQS → Lambda event source mapping with AWS's semantics: batches of up
 * to `batchSize` gathered for up to the batching window, at most
 * `maximumConcurrency` invocations at once, partial batch failures, and a thrown
 * function leaving the whole batch to reappear after the visibility timeout.
 * Redrive to the DLQ after maxReceiveCount is the queue's own RedrivePolicy, and
 * FIFO group ordering is the queue's own (one message group in flight).
 */
export class EventSourceMapping {
  readonly stats: MappingStats = {
    invocations: 0,
    recordsDelivered: 0,
    recordsDeleted: 0,
    recordsReturned: 0,
    failedInvocations: 0,
    inFlight: 0,
    maxInFlightSeen: 0,
  };
  private readonly abort = new AbortController();
  private workers: Promise<void>[] = [];

  constructor(
    private readonly sqs: SQSClient,
    readonly settings: EventSourceMappingSettings,
    private readonly invoke: Invoker,
    private readonly logger: MappingLogger = silent,
  ) {}

  start(): void {
    if (this.workers.length > 0) return;
    // Every worker's pending receive listens on the one stop signal.
    setMaxListeners(Math.max(10, 4 * this.settings.maximumConcurrency), this.abort.signal);
    for (let i = 0; i < this.settings.maximumConcurrency; i++) this.workers.push(this.runWorker());
  }

  /** Stops polling; batches already being processed finish and are settled first. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all(this.workers);
    this.workers = [];
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  // As AWS's pollers do, each worker gathers the next batch while the function
  // runs, so that a slot freed by an invocation is refilled at once rather than
  // after a round of receives (which would leave capacity idle under a backlog).
  //
  // Not on a FIFO queue: a batch gathered ahead holds its message groups in flight
  // while it waits, so neither this worker nor another could serve them, and every
  // message of those groups would wait a whole invocation longer. A FIFO worker
  // receives when its invocation is done.
  private async runWorker(): Promise<void> {
    const ahead = !isFifoQueue(this.settings.queueUrl);
    let next = this.gatherSafely();
    while (!this.stopped) {
      const messages = await next;
      if (ahead) next = this.gatherSafely();
      if (messages.length > 0) await this.deliver(messages);
      if (!ahead) next = this.gatherSafely();
    }
    // Stopping: a batch gathered ahead is settled too, not left to time out.
    const last = await next;
    if (last.length > 0) await this.deliver(last);
  }

  private async gatherSafely(): Promise<Message[]> {
    if (this.stopped) return [];
    try {
      return await this.gather();
    } catch (error) {
      if (this.stopped) return [];
      this.logger.warn("event source mapping poll failed, retrying", { function: this.settings.functionName, error: String(error) });
      await sleep(1000, this.abort.signal);
      return [];
    }
  }

  /** Collects one batch: up to batchSize records, for up to the batching window after the first one. */
  private async gather(): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.settings;
    const byId = new Map<string, Message>();
    let bytes = 0;
    let deadline = Infinity;
    while (byId.size < batchSize && bytes < MAX_EVENT_BYTES && !this.stopped) {
      const remainingMs = deadline - Date.now();
      if (byId.size > 0 && remainingMs <= 0) break;
      const waitSeconds = byId.size === 0 ? LONG_POLL_SECONDS : Math.min(LONG_POLL_SECONDS, Math.floor(remainingMs / 1000));
      const received = await this.receive(Math.min(10, batchSize - byId.size), waitSeconds);
      for (const message of received) {
        // A message redelivered while gathering carries a new receipt handle; keep the newest.
        if (!byId.has(message.MessageId!)) bytes += Buffer.byteLength(message.Body ?? "");
        byId.set(message.MessageId!, message);
      }
      if (byId.size > 0 && deadline === Infinity) {
        deadline = Date.now() + maximumBatchingWindowSeconds * 1000;
        if (maximumBatchingWindowSeconds === 0) break;
      }
      if (received.length === 0 && byId.size > 0 && waitSeconds === 0) await sleep(Math.min(100, remainingMs), this.abort.signal);
    }
    return [...byId.values()];
  }

  private async receive(max: number, waitSeconds: number): Promise<Message[]> {
    try {
      const result = await this.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: this.settings.queueUrl,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
        { abortSignal: this.abort.signal },
      );
      return result.Messages ?? [];
    } catch (error) {
      if (this.stopped) return [];
      throw error;
    }
  }

  private async deliver(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((m) => this.toRecord(m)) };
    const ids = event.Records.map((r) => r.messageId);
    this.stats.invocations++;
    this.stats.recordsDelivered += messages.length;
    this.stats.inFlight++;
    this.stats.maxInFlightSeen = Math.max(this.stats.maxInFlightSeen, this.stats.inFlight);
    let result;
    try {
      result = await this.invoke(this.settings.functionName, event);
    } finally {
      this.stats.inFlight--;
    }
    if (!result.ok) {
      // As in AWS: nothing is deleted; the records reappear when their visibility timeout ends.
      this.stats.failedInvocations++;
      this.stats.recordsReturned += messages.length;
      this.logger.warn("function failed, batch returns to the queue", { function: this.settings.functionName, records: ids.length, error: result.error });
      return;
    }
    const decision = recordsToDelete(ids, result.payload, this.settings.reportBatchItemFailures);
    if (decision.wholeBatchFailed) {
      this.logger.warn("invalid batch response, whole batch returns to the queue", { function: this.settings.functionName, reason: decision.reason });
    }
    this.stats.recordsReturned += decision.returned.length;
    const handles = new Map(messages.map((m) => [m.MessageId!, m.ReceiptHandle!]));
    await this.deleteMessages(decision.delete.map((id) => ({ id, handle: handles.get(id)! })));
  }

  private async deleteMessages(entries: { id: string; handle: string }[]): Promise<void> {
    const chunks: { id: string; handle: string }[][] = [];
    for (let i = 0; i < entries.length; i += 10) chunks.push(entries.slice(i, i + 10));
    await Promise.all(
      chunks.map(async (chunk) => {
        const result = await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.settings.queueUrl,
            Entries: chunk.map((e, n) => ({ Id: String(n), ReceiptHandle: e.handle })),
          }),
        );
        this.stats.recordsDeleted += result.Successful?.length ?? 0;
        for (const failure of result.Failed ?? []) {
          // Usually an expired receipt handle: the message was already redelivered and will be processed again.
          this.logger.warn("delete failed; message will be redelivered", { messageId: chunk[Number(failure.Id)]?.id, code: failure.Code });
        }
      }),
    );
  }

  private toRecord(message: Message): SQSRecord {
    const attributes: Record<string, string> = { ...(message.Attributes ?? {}) };
    const messageAttributes: SQSRecord["messageAttributes"] = {};
    for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
      messageAttributes[name] = {
        dataType: value.DataType ?? "String",
        ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
        ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString("base64") } : {}),
        stringListValues: [],
        binaryListValues: [],
      };
    }
    return {
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body ?? "",
      attributes: attributes as unknown as SQSRecord["attributes"],
      messageAttributes,
      md5OfBody: message.MD5OfBody ?? "",
      ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
      eventSource: "aws:sqs",
      eventSourceARN: this.settings.queueArn,
      awsRegion: this.settings.region,
    } as SQSRecord;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    // The listener goes when the sleep ends, or every poll would leave one behind.
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
