import type { ScraperConfig } from "../configTypes.ts";
import type { ScrapedRecord, TaskError } from "../scrapeReport.ts";

export interface SinkOutcome {
  /** Records the destination accepted; only these are remembered as scraped. */
  delivered: ScrapedRecord[];
  /** Records refused (schema, HTTP status), one error each. */
  rejected: TaskError[];
}

/** Where a run's records go: the queue, the original crawler's webhook, or stdout. */
export interface RecordSink {
  write(config: ScraperConfig, records: readonly ScrapedRecord[], at: Date): Promise<SinkOutcome>;
}
