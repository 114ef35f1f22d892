// `npm run scrape -- <config.yaml>… [--sink stdout|sqs|webhook] [--base-url URL] [--state] [--timeout-ms N]`
// Runs scraper configs locally and prints the records as JSON lines (stdout
// sink) and one summary line per config on stderr. Every config is validated
// before the browser starts. --state skips/remembers URLs in RAW_BUCKET
// (or SCRAPER_STATE_BUCKET) like the scheduled function; the sqs sink and
// --state use CRYPTOVIZ_AWS_ENDPOINT, NEWS_QUEUE, PRICE_QUEUE and RAW_BUCKET.
import { createS3Client, createSqsClient } from "../lib/adapters/aws/clients.ts";
import { scraperStateFromEnv, sqsSinkFromEnv } from "../lib/adapters/aws/scraperAdapters.ts";
import { SINK_TYPES, type ScraperConfig, type SinkType } from "../lib/scraper/configTypes.ts";
import { launchChromium } from "../lib/scraper/launchChromium.ts";
import { loadScraperConfig } from "../lib/scraper/loadScraperConfig.ts";
import { runScrapers } from "../lib/scraper/runScrapers.ts";
import { ScraperConfigError } from "../lib/scraper/ScraperConfigError.ts";
import { SeenUrlStore } from "../lib/scraper/SeenUrlStore.ts";
import { sinkFactory } from "../lib/scraper/sinks/sinkFactory.ts";

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run scrape -- <config.yaml>… [--sink ${SINK_TYPES.join("|")}] [--base-url URL] [--state] [--timeout-ms N]\n`);
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const files: string[] = [];
  let sink: SinkType | undefined;
  let baseUrl: string | undefined;
  let state = false;
  let timeoutMs: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === "--sink") {
      const v = value();
      if (!(SINK_TYPES as readonly string[]).includes(v)) usage(`--sink must be one of ${SINK_TYPES.join(", ")}, got "${v}"`);
      sink = v as SinkType;
    } else if (arg === "--base-url") {
      baseUrl = value();
      if (!URL.canParse(baseUrl)) usage(`--base-url must be a URL, got "${baseUrl}"`);
    } else if (arg === "--state") state = true;
    else if (arg === "--timeout-ms") timeoutMs = Number(value());
    else if (arg.startsWith("--")) usage(`unknown option ${arg}`);
    else files.push(arg);
  }
  if (files.length === 0) usage("name at least one config file");
  return { files, sink, baseUrl, state, timeoutMs };
}

const args = parseArgs(process.argv.slice(2));
let configs: ScraperConfig[];
try {
  configs = await Promise.all(args.files.map((f) => loadScraperConfig(f)));
} catch (error) {
  if (error instanceof ScraperConfigError) {
    process.stderr.write(`invalid scraper config: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

let clients: { sqs: ReturnType<typeof createSqsClient>; s3: ReturnType<typeof createS3Client> } | undefined;
const getClients = () => (clients ??= { sqs: createSqsClient(), s3: createS3Client() });

const reports = await runScrapers(configs, {
  launch: async () => {
    const browser = await launchChromium();
    process.stderr.write(`chromium sandbox: ${browser.sandbox.enabled ? "on" : "off"} (${browser.sandbox.reason})\n`);
    return browser;
  },
  sinkFor: sinkFactory(() => sqsSinkFromEnv(getClients()), args.sink),
  ...(args.state ? { seenFor: (c: ScraperConfig) => new SeenUrlStore(scraperStateFromEnv(getClients().s3), SeenUrlStore.keyFor(c.domain)).load() } : {}),
  ...(args.baseUrl ? { baseUrlFor: () => args.baseUrl } : {}),
  ...(args.timeoutMs ? { deadline: Date.now() + args.timeoutMs } : {}),
});
for (const report of reports) process.stderr.write(JSON.stringify(report) + "\n");
clients?.sqs.destroy();
clients?.s3.destroy();
// Exit 0 when records were produced even if some are partial: errors are in the summary.
process.exit(reports.every((r) => r.records > 0 || r.errors.length === 0) ? 0 : 3);
