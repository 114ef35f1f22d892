import type { ArchiveReader } from "../../archive/Archive.ts";
import type { Envelope } from "../../../contracts/envelope.ts";
import type { MessageProducer } from "../../queue/MessageProducer.ts";
import { archiveHourPrefixes } from "./archiveHours.ts";
import { envelopesFromArchive } from "./envelopesFromArchive.ts";

export interface ReplayOptions {
  archive: ArchiveReader;
  producer: MessageProducer;
  /** Queue URL per message kind; undefined for a kind means its messages are not sent. */
  queueUrls: { market: string; news?: string };
  source: string;
  from: Date;
  to: Date;
  correlationId: string;
  /** Count what would be sent, send nothing. */
  dryRun?: boolean;
  onObject?: (key: string) => void;
}

export interface ReplayStats {
  objects: number;
  keys: string[];
  envelopes: number;
  trades: number;
  quotes: number;
  articles: number;
  skipped: number;
}

// Envelopes held before a send: bounds memory on long ranges, still fills SendMessageBatch calls.
const SEND_EVERY = 100;

/**
 * Re-enqueues every archived batch of one source whose hour partition
 * overlaps [from, to), in key order, with the envelope ids it was first sent
 * with: downstream writes are idempotent, so replaying twice changes nothing.
 */
export async function replayArchive(options: ReplayOptions): Promise<ReplayStats> {
  const stats: ReplayStats = { objects: 0, keys: [], envelopes: 0, trades: 0, quotes: 0, articles: 0, skipped: 0 };
  const pending = { market: [] as Envelope[], news: [] as Envelope[] };
  const flush = async (kind: "market" | "news") => {
    const list = pending[kind].splice(0);
    const url = options.queueUrls[kind];
    if (list.length === 0 || options.dryRun) return;
    if (!url) throw new Error(`archived ${kind} records found but no ${kind} queue is configured`);
    await options.producer.send(url, list);
  };
  for (const prefix of archiveHourPrefixes(options.source, options.from, options.to)) {
    for await (const { key, lastModified } of options.archive.list(prefix)) {
      if (!key.endsWith(".jsonl.gz")) continue;
      const text = await options.archive.readJsonLines(key);
      const records: unknown[] = [];
      for (const line of text.split("\n")) {
        if (line.trim() === "") continue;
        try {
          records.push(JSON.parse(line));
        } catch {
          stats.skipped++;
        }
      }
      const plan = envelopesFromArchive(options.source, key, records, lastModified ?? new Date(), options.correlationId);
      stats.objects++;
      stats.keys.push(key);
      stats.trades += plan.trades;
      stats.quotes += plan.quotes;
      stats.articles += plan.articles;
      stats.skipped += plan.skipped;
      stats.envelopes += plan.market.length + plan.news.length;
      pending.market.push(...plan.market);
      pending.news.push(...plan.news);
      options.onObject?.(key);
      if (pending.market.length >= SEND_EVERY) await flush("market");
      if (pending.news.length >= SEND_EVERY) await flush("news");
    }
  }
  await flush("market");
  await flush("news");
  return stats;
}
