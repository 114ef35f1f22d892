import type { Archive } from "../archive/Archive.ts";
import type { MessageProducer } from "../queue/MessageProducer.ts";
import { planIngest, type IngestKind } from "./ingestRequest.ts";

export interface IngestResult {
  batchId: string;
  /** The envelope ids enqueued (deterministic: a retried request yields the same ids). */
  ids: string[];
  archiveKey: string;
  messages: number;
  records: number;
}

/**
 * Accepts a validated webhook batch: archives it raw, then enqueues one message
 * per article (news) or per chunk of trades and quotes (prices). The archive
 * comes first so that everything on a queue can be replayed from S3; a retried
 * request writes the same archive object and the same message ids again.
 */
export class IngestService {
  constructor(
    private readonly archive: Archive,
    private readonly producer: MessageProducer,
    private readonly queueUrlFor: (kind: IngestKind) => Promise<string>,
  ) {}

  async ingest(kind: IngestKind, body: unknown, correlationId?: string, now = new Date()): Promise<IngestResult> {
    const plan = planIngest(kind, body, now, correlationId);
    const archiveKey = await this.archive.put(plan.source, plan.batchId, plan.records, now);
    await this.producer.send(await this.queueUrlFor(kind), plan.envelopes);
    return {
      batchId: plan.batchId,
      ids: plan.envelopes.map((e) => e.id),
      archiveKey,
      messages: plan.envelopes.length,
      records: plan.records.length,
    };
  }
}
