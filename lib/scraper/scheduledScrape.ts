import { existsSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { ConfigError } from "../config/ConfigError.ts";
import { envInt, envOptional } from "../config/readEnv.ts";
import type { LogSink } from "../log/LogSink.ts";
import type { ScrapeBrowser } from "./browserPort.ts";
import type { ScraperConfig, Task } from "./configTypes.ts";
import { loadScraperConfig } from "./loadScraperConfig.ts";
import type { ScrapeRunReport } from "./runScraper.ts";
import { runScrapers } from "./runScrapers.ts";
import { SeenUrlStore } from "./SeenUrlStore.ts";
import type { RecordSink } from "./sinks/RecordSink.ts";
import { sinkFactory } from "./sinks/sinkFactory.ts";
import type { StateStore } from "./StateStore.ts";

type Env = Record<string, string | undefined>;

export interface ScheduledScrapeDeps {
  /** Where the seen-URL state is kept. */
  state: StateStore;
  /** The `sqs` sink (archive, then enqueue); called on first use. */
  queueSink: () => RecordSink;
  logger: LogSink;
  launch: () => Promise<ScrapeBrowser>;
  /** Config files run when neither SCRAPERS nor the event names any. */
  defaultScrapers: readonly string[];
  env?: Env;
}

/** The schedule may pass `{ "scrapers": ["scrapers/u.today.yaml"] }` as its input; a plain scheduled event runs the defaults. */
export interface ScrapeEvent {
  scrapers?: string[];
}

export interface ScrapeSummary {
  reports: Array<Omit<ScrapeRunReport, "errors"> & { errorCount: number }>;
}

function usesSeenUrls(tasks: readonly Task[]): boolean {
  return tasks.some((t) => (t.type === "navigate" && t.params.skipIfScraped === true) || (t.type === "extract" && usesSeenUrls(t.tasks ?? [])));
}

function baseUrls(env: Env): Record<string, string> {
  const raw = envOptional(env, "SCRAPER_BASE_URLS");
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    return parsed as Record<string, string>;
  } catch {
    throw new ConfigError("SCRAPER_BASE_URLS", `must be a JSON object {"<domain>": "<base URL>"}, got ${raw}`);
  }
}

/**
 * One scheduled invocation: validate every config (before the browser
 * starts), scrape them side by side in one Chromium, stop starting new pages
 * `SCRAPER_FLUSH_RESERVE_MS` before the Lambda timeout so the records found so
 * far are still delivered, and close the browser whatever happens.
 */
/**
 * A config path is relative to the task root: /var/task in Lambda, where the
 * configs are packaged beside the bundle. Local invocations run from the
 * bundler's build folder inside the project (.esbuild/.build), so the nearest
 * ancestor that holds the file is used.
 */
export function resolveConfigPath(file: string, from = process.cwd()): string {
  if (isAbsolute(file)) return file;
  for (let dir = from, depth = 0; depth < 5; depth++) {
    if (existsSync(join(dir, file))) return join(dir, file);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return file;
}

export function scheduledScrape(deps: ScheduledScrapeDeps) {
  const env = deps.env ?? process.env;
  const configCache = new Map<string, Promise<ScraperConfig>>();
  const load = (file: string) => {
    let cached = configCache.get(file);
    if (!cached) {
      cached = loadScraperConfig(resolveConfigPath(file));
      cached.catch(() => configCache.delete(file));
      configCache.set(file, cached);
    }
    return cached;
  };
  const reserveMs = envInt(env, "SCRAPER_FLUSH_RESERVE_MS", 20_000, { min: 0 });
  const overrides = baseUrls(env);
  const configured = envOptional(env, "SCRAPERS")?.split(",").map((s) => s.trim()).filter(Boolean);
  const sinkFor = sinkFactory(deps.queueSink, undefined, env);

  return async (event: ScrapeEvent | undefined, invocation: { remainingTimeMs(): number }): Promise<ScrapeSummary> => {
    const files = event?.scrapers?.length ? event.scrapers : (configured ?? deps.defaultScrapers);
    const configs = await Promise.all(files.map(load));
    const reports = await runScrapers(configs, {
      launch: async () => {
        const browser = await deps.launch();
        if (browser.sandbox) deps.logger.info("chromium launched", { sandbox: browser.sandbox.enabled, sandboxReason: browser.sandbox.reason });
        return browser;
      },
      sinkFor,
      // Listing pages (prices) never skip: no state to read or write for them.
      seenFor: async (c) => (usesSeenUrls(c.tasks) ? new SeenUrlStore(deps.state, SeenUrlStore.keyFor(c.domain)).load() : undefined),
      baseUrlFor: (c) => overrides[c.domain],
      deadline: Date.now() + Math.max(1_000, invocation.remainingTimeMs() - reserveMs),
    });
    for (const { errors, ...report } of reports) {
      for (const error of errors.slice(0, 50)) deps.logger.warn("scrape error", { domain: report.domain, ...error });
      deps.logger.info("scrape finished", { ...report, errorCount: errors.length });
    }
    return { reports: reports.map(({ errors, ...r }) => ({ ...r, errorCount: errors.length })) };
  };
}
