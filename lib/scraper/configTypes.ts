/** The scraper task language as the engine sees it (after validation and defaults). */

export interface AttributeSpec {
  /** Field name in the record, and the `$name` other tasks may substitute. */
  as: string;
  /** Absent or empty is not an error. */
  optional?: boolean;
  /** Collect the value of every matched element as a list (e.g. tags) instead of the first. */
  all?: boolean;
}

export interface NavigateTask {
  type: "navigate";
  params: { url: string; timeout?: number; skipIfScraped?: boolean };
  optional?: boolean;
}

export interface CheckPresenceTask {
  type: "checkPresence";
  params: { cssSelector: string; timeout?: number };
  optional?: boolean;
}

export interface ExtractTask {
  type: "extract";
  params: {
    cssSelector: string;
    /** `text`, `html`, `href`, `src` or any attribute name → where the value goes; `{}` when the element only scopes nested tasks. */
    extractAttributes: Record<string, AttributeSpec>;
    limit?: number;
    timeout?: number;
  };
  optional?: boolean;
  /** Run once per extracted element, with that element's values substituted. */
  tasks?: Task[];
}

export type Task = NavigateTask | CheckPresenceTask | ExtractTask;

export type PostOp =
  | "trim"
  | "absoluteUrl"
  | "lowercase"
  | "uppercase"
  | { date: { format: string; timezone?: string } }
  | { number: { decimal?: "." | ","; units?: boolean } }
  | { regex: { pattern: string; group?: number } }
  | { replace: { pattern: string; with: string } }
  | { split: { separator: string } };

export const SINK_TYPES = ["sqs", "webhook", "stdout"] as const;
export type SinkType = (typeof SINK_TYPES)[number];

export const RESOURCE_TYPES = ["image", "font", "media", "stylesheet"] as const;
export type BlockedResource = (typeof RESOURCE_TYPES)[number];

export interface ScraperConfig {
  /** Names the source: archive partition, state object, envelope `source`. */
  domain: string;
  /** What the records are: news articles or price listings (decides queue and schema). */
  kind: "news" | "prices";
  /** Relative URLs resolve against it; `--base-url` replaces its origin. Its host is the first one navigation may reach. */
  baseUrl: string;
  /** Further hosts navigation may reach (`host`, `host:port`, `*.domain`); every other host is refused. */
  allowedHosts: string[];
  /** Whether the allowed hosts may be loopback, private or link-local addresses (local fixture sites); refused otherwise. */
  allowPrivateNetwork: boolean;
  userAgent?: string;
  blockResources: BlockedResource[];
  politeness: { delayMs: number; concurrency: number };
  retries: { attempts: number; backoffMs: number; factor: number };
  /** Default wait for selectors and navigations, ms. */
  defaultTimeout: number;
  sink: SinkType;
  webhook?: { url: string; headers: Record<string, string> };
  postProcess: Record<string, PostOp[]>;
  tasks: Task[];
}
