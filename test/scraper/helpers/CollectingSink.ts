import type { ScraperConfig } from "../../../lib/scraper/configTypes.ts";
import type { ScrapedRecord } from "../../../lib/scraper/scrapeReport.ts";
import type { RecordSink, SinkOutcome } from "../../../lib/scraper/sinks/RecordSink.ts";

/** Keeps what it is given, so tests can look at whole records (fields, errors, seen keys). */
export class CollectingSink implements RecordSink {
  readonly records: ScrapedRecord[] = [];

  async write(_config: ScraperConfig, records: readonly ScrapedRecord[]): Promise<SinkOutcome> {
    this.records.push(...records);
    return { delivered: [...records], rejected: [] };
  }
}
