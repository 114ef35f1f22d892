import type { ScrapeBrowser } from "./browserPort.ts";
import type { ScraperConfig } from "./configTypes.ts";
import { postProcessRecord } from "./postProcess.ts";
import { UrlResolver } from "./resolveUrl.ts";
import { ScrapeEngine } from "./ScrapeEngine.ts";
import type { HostLookup } from "./navigation/NavigationPolicy.ts";
import type { TaskError, TaskErrorKind } from "./scrapeReport.ts";
import type { SeenUrlStore } from "./SeenUrlStore.ts";
import type { RecordSink } from "./sinks/RecordSink.ts";

export interface RunScraperOptions {
  browser: ScrapeBrowser;
  sink: RecordSink;
  /** Loaded state; without it nothing is skipped or remembered. */
  seen?: SeenUrlStore;
  baseUrlOverride?: string;
  /** Epoch ms: no new navigation starts after it, so the sink can still flush. */
  deadline?: number;
  /** DNS for the SSRF guard; the system resolver by default. */
  lookup?: HostLookup;
}

export interface ScrapeRunReport {
  domain: string;
  records: number;
  delivered: number;
  partial: number;
  skippedAlreadyScraped: number;
  duplicates: number;
  pages: number;
  navigationRetries: number;
  notStarted: number;
  aborted: boolean;
  durationMs: number;
  errors: TaskError[];
}

// Errors that may go away on the next run: such records are delivered but not
// remembered, so the next run fetches them again (their id is the same, so the
// store keeps one copy).
const TRANSIENT: ReadonlySet<TaskErrorKind> = new Set(["timeout", "navigation", "deadline", "error"]);

/** One config: scrape, post-process, deliver, remember what was delivered. */
export async function runScraper(config: ScraperConfig, options: RunScraperOptions): Promise<ScrapeRunReport> {
  const started = Date.now();
  const at = new Date(started);
  const result = await new ScrapeEngine(config, {
    browser: options.browser,
    ...(options.baseUrlOverride ? { baseUrlOverride: options.baseUrlOverride } : {}),
    ...(options.seen ? { seen: options.seen } : {}),
    ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
    ...(options.lookup ? { lookup: options.lookup } : {}),
  }).run();
  const baseUrl = new UrlResolver(config.baseUrl, options.baseUrlOverride).baseUrl;
  const records = result.records.map((r) => postProcessRecord(r, config.postProcess, baseUrl));
  const errors = [...result.errors, ...records.flatMap((r) => r.errors.filter((e) => e.kind === "postProcess"))];
  let delivered = 0;
  if (records.length > 0) {
    try {
      const outcome = await options.sink.write(config, records, at);
      delivered = outcome.delivered.length;
      errors.push(...outcome.rejected);
      if (options.seen) {
        options.seen.add(outcome.delivered.filter((r) => r.seenKey && !r.errors.some((e) => TRANSIENT.has(e.kind))).map((r) => r.seenKey!));
      }
    } catch (error) {
      errors.push({ kind: "error", task: "sink", message: `not delivered: ${(error as Error).message}` });
    }
  }
  if (options.seen) {
    try {
      await options.seen.save();
    } catch (error) {
      errors.push({ kind: "error", task: "state", message: `seen URLs not saved: ${(error as Error).message}` });
    }
  }
  return {
    domain: config.domain,
    records: records.length,
    delivered,
    partial: records.filter((r) => r.errors.length > 0).length,
    skippedAlreadyScraped: result.stats.skippedAlreadyScraped,
    duplicates: result.stats.duplicates,
    pages: result.stats.pages,
    navigationRetries: result.stats.navigationRetries,
    notStarted: result.stats.notStarted,
    aborted: result.aborted,
    durationMs: Date.now() - started,
    errors,
  };
}
