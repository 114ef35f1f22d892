import type { ScrapeBrowser } from "./browserPort.ts";
import type { ScraperConfig } from "./configTypes.ts";
import { runScraper, type ScrapeRunReport } from "./runScraper.ts";
import type { SeenUrlStore } from "./SeenUrlStore.ts";
import type { RecordSink } from "./sinks/RecordSink.ts";

export interface RunScrapersOptions {
  /** Called only after every config has validated. */
  launch: () => Promise<ScrapeBrowser>;
  sinkFor: (config: ScraperConfig) => RecordSink;
  /** Loads the domain's state; undefined for runs that neither skip nor remember. */
  seenFor?: (config: ScraperConfig) => Promise<SeenUrlStore | undefined>;
  baseUrlFor?: (config: ScraperConfig) => string | undefined;
  deadline?: number;
}

/**
 * Runs validated configs side by side in one browser (each domain keeps its
 * own politeness), and always closes the browser, whatever happened.
 */
export async function runScrapers(configs: readonly ScraperConfig[], options: RunScrapersOptions): Promise<ScrapeRunReport[]> {
  const states = await Promise.all(configs.map((c) => options.seenFor?.(c)));
  const browser = await options.launch();
  try {
    return await Promise.all(
      configs.map((config, i) => {
        const seen = states[i];
        const baseUrlOverride = options.baseUrlFor?.(config);
        return runScraper(config, {
          browser,
          sink: options.sinkFor(config),
          ...(seen ? { seen } : {}),
          ...(baseUrlOverride ? { baseUrlOverride } : {}),
          ...(options.deadline !== undefined ? { deadline: options.deadline } : {}),
        });
      }),
    );
  } finally {
    await browser.close();
  }
}
