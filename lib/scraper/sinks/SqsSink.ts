import type { z } from "zod";
import type { Archive } from "../../archive/Archive.ts";
import { sha256Hex } from "../../../contracts/hash.ts";
import { canonicalUrl, newsArticleSchema, NEWS_ARTICLE_SCHEMA } from "../../../contracts/news.ts";
import { type Envelope } from "../../../contracts/envelope.ts";
import { formatIssuePath } from "../../../contracts/validation.ts";
import type { MessageProducer } from "../../queue/MessageProducer.ts";
import { findInvalidSqsText, invalidSqsTextReason } from "../../queue/sqsText.ts";
import type { ScraperConfig } from "../configTypes.ts";
import { newsArticleFromRecord } from "../newsArticleFromRecord.ts";
import { marketListingFromRecord, minuteOf } from "../priceListing.ts";
import { marketListingId } from "../../../contracts/listing.ts";
import { marketListingSchema } from "../../../contracts/listing.ts";
import { MARKET_LISTING_SCHEMA } from "../../../contracts/listing.ts";
import type { ScrapedRecord, TaskError } from "../scrapeReport.ts";
import type { RecordSink, SinkOutcome } from "./RecordSink.ts";

export interface SqsSinkDeps {
  producer: MessageProducer;
  archive: Archive;
  /** Queue URL for the config's kind: news → news-tasks, prices → price-tasks. */
  queueUrl: (kind: ScraperConfig["kind"]) => Promise<string>;
}

/**
 * Validates each record against its payload schema, archives the valid ones as
 * one raw batch, then sends them as versioned envelopes. Archive first: a batch
 * on the queue can always be replayed from the archive.
 */
export class SqsSink implements RecordSink {
  constructor(private readonly deps: SqsSinkDeps) {}

  async write(config: ScraperConfig, records: readonly ScrapedRecord[], at: Date): Promise<SinkOutcome> {
    const observedAt = minuteOf(at);
    const rejected: TaskError[] = [];
    const accepted: Array<{ record: ScrapedRecord; envelope: Envelope }> = [];
    for (const record of records) {
      const envelope = this.toEnvelope(config, record, observedAt, at);
      if ("error" in envelope) rejected.push(envelope.error);
      else accepted.push({ record, envelope });
    }
    if (accepted.length === 0) return { delivered: [], rejected };
    const payloads = accepted.map((a) => a.envelope.payload);
    const batchId = sha256Hex(JSON.stringify(payloads));
    await this.deps.archive.put(config.domain, batchId, payloads, at);
    const envelopes = accepted.map((a) => ({ ...a.envelope, correlationId: batchId }));
    await this.deps.producer.send(await this.deps.queueUrl(config.kind), envelopes);
    return { delivered: accepted.map((a) => a.record), rejected };
  }

  private toEnvelope(config: ScraperConfig, record: ScrapedRecord, observedAt: string, at: Date): Envelope | { error: TaskError } {
    const envelope = this.validEnvelope(config, record, observedAt, at);
    if ("error" in envelope) return envelope;
    // One page with text SQS refuses (U+FFFF, a lone surrogate) is dropped and
    // reported here; left in, it would fail the whole run's delivery.
    const bad = findInvalidSqsText(envelope.payload);
    if (bad) {
      const message = `payload.${bad.path} ${invalidSqsTextReason(bad.codePoint)}`;
      return { error: { kind: "rejected", task: "sink", ...(record.url ? { url: record.url } : {}), field: bad.path, message } };
    }
    return envelope;
  }

  private validEnvelope(config: ScraperConfig, record: ScrapedRecord, observedAt: string, at: Date): Envelope | { error: TaskError } {
    const base = { source: config.domain, producedAt: at.toISOString(), correlationId: "pending" };
    if (config.kind === "news") {
      const result = newsArticleSchema.safeParse(newsArticleFromRecord(config.domain, record.fields));
      if (!result.success) return { error: this.rejection(record, result.error) };
      return { schema: NEWS_ARTICLE_SCHEMA, id: sha256Hex(canonicalUrl(result.data.url)), ...base, payload: result.data };
    }
    const result = marketListingSchema.safeParse(marketListingFromRecord(config.domain, record.fields, observedAt));
    if (!result.success) return { error: this.rejection(record, result.error) };
    return { schema: MARKET_LISTING_SCHEMA, id: marketListingId(result.data), ...base, payload: result.data };
  }

  private rejection(record: ScrapedRecord, error: z.ZodError): TaskError {
    const issue = error.issues[0]!;
    const field = formatIssuePath("", issue.path);
    return { kind: "rejected", task: "sink", ...(record.url ? { url: record.url } : {}), field, message: `payload.${field}: ${issue.message}` };
  }
}
