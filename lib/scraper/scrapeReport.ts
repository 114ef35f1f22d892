import type { FieldValues } from "./substitute.ts";

/** `refused`: the SSRF guard would not let a navigation go there (scheme, host or address); never retried. */
export type TaskErrorKind = "timeout" | "navigation" | "refused" | "missing" | "postProcess" | "deadline" | "rejected" | "error";

/** A structured account of one thing that went wrong; the run goes on. */
export interface TaskError {
  kind: TaskErrorKind;
  /** Where in the config, e.g. `tasks[2].tasks[1]` (or `postProcess.publishedAt`). */
  task: string;
  /** The page the task ran on, when there was one. */
  url?: string;
  selector?: string;
  field?: string;
  message: string;
}

/** One record with what is known about it; `errors` non-empty means partial. */
export interface ScrapedRecord {
  fields: FieldValues;
  /** The page the record's last navigation reached. */
  url?: string;
  /** Canonical URL to remember once the record is delivered (navigate with skipIfScraped). */
  seenKey?: string;
  errors: TaskError[];
}

export interface ScrapeStats {
  pages: number;
  navigationRetries: number;
  skippedAlreadyScraped: number;
  /** Items whose page another item of the same run already claimed. */
  duplicates: number;
  /** Items not started because the deadline came first. */
  notStarted: number;
}

export interface ScrapeResult {
  records: ScrapedRecord[];
  /** Every error, including those attached to records. */
  errors: TaskError[];
  stats: ScrapeStats;
  /** True when the deadline stopped the run before it finished. */
  aborted: boolean;
}
