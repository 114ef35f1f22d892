import type { Writable } from "node:stream";
import type { ScraperConfig } from "../configTypes.ts";
import type { ScrapedRecord } from "../scrapeReport.ts";
import type { RecordSink, SinkOutcome } from "./RecordSink.ts";

/** One JSON line per record (its fields), for `npm run scrape` and pipes. */
export class StdoutSink implements RecordSink {
  constructor(private readonly out: Writable = process.stdout) {}

  async write(_config: ScraperConfig, records: readonly ScrapedRecord[]): Promise<SinkOutcome> {
    for (const record of records) this.out.write(JSON.stringify(record.fields) + "\n");
    return { delivered: [...records], rejected: [] };
  }
}
