// The monthly bill of one deployment at a given load and size: each line a
// quantity times a list price, grouped by service. Pure arithmetic on the
// tables in prices.ts, load.ts and serverless.yml's sizes.
import { functionLoads, SECONDS_PER_MONTH, type Load } from "./load.ts";
import { FREE_TIER, PRICES } from "./prices.ts";
import type { SearchSize } from "./searchSizes.ts";

export interface CostLine {
  service: string;
  item: string;
  quantity: number;
  unit: string;
  usd: number;
}

export interface MonthlyCost {
  lines: CostLine[];
  byService: Array<{ service: string; usd: number; share: number }>;
  total: number;
}

const HOURS_PER_MONTH = 730;
const DAYS = 30;

function line(service: string, item: string, quantity: number, unit: string, unitPrice: number): CostLine {
  return { service, item, quantity, unit, usd: quantity * unitPrice };
}

export function monthlyCost(size: SearchSize, load: Load, prices = PRICES): MonthlyCost {
  const lines: CostLine[] = [];
  const fns = functionLoads(load);

  // Lambda: requests and GB-seconds per function, then the always-free tier.
  let requests = 0;
  let gbSeconds = 0;
  for (const [name, f] of Object.entries(fns)) {
    const gbs = f.invocations * f.seconds * (f.memoryMb / 1024);
    const rate = f.architecture === "arm64" ? prices.lambdaArmGbSecond.usd : prices.lambdaX86GbSecond.usd;
    lines.push(line("Lambda", `${name} (${f.architecture}, ${f.memoryMb} MB, ${f.seconds} s × ${Math.round(f.invocations).toLocaleString("en-US")})`, gbs, "GB-s", rate));
    lines.push(line("Lambda", `${name} requests`, f.invocations, "requests", prices.lambdaRequest.usd));
    requests += f.invocations;
    gbSeconds += gbs;
  }
  lines.push(line("Lambda", "always-free tier (1 M requests, 400,000 GB-s)", -Math.min(requests, FREE_TIER.lambdaRequests), "requests", prices.lambdaRequest.usd));
  lines.push(line("Lambda", "always-free tier GB-seconds", -Math.min(gbSeconds, FREE_TIER.lambdaGbSeconds), "GB-s", prices.lambdaArmGbSecond.usd));

  // SQS: every market batch is sent once, received and deleted in its consumer's batch, on
  // price-tasks (FIFO, grouped by symbol); the event source mappings' idle long polls (5
  // pollers, 20 s) on each queue; the news and social traffic on standard queues.
  const batches = load.batchesPerSecond * SECONDS_PER_MONTH;
  const priceInvocations = fns["consume-prices"]!.invocations;
  const articles = load.articlesPerDay * DAYS;
  const idlePollsPerQueue = 5 * 3 * 60 * 24 * DAYS;
  const socialMessages = load.socialMessagesPerSecond * SECONDS_PER_MONTH;
  const fifo = batches + 2 * priceInvocations + idlePollsPerQueue;
  const standard = idlePollsPerQueue + 3 * articles + socialMessages + 2 * fns["consume-social"]!.invocations;
  lines.push(line("SQS", "price-tasks (FIFO): send, receive and delete of each batch; idle long polls", fifo, "requests", prices.sqsFifoRequest.usd));
  lines.push(line("SQS", "news-tasks, social-tasks (standard): messages and idle long polls", standard, "requests", prices.sqsRequest.usd));
  // The free million requests a month covers standard and FIFO requests alike.
  const freeStandard = Math.min(standard, FREE_TIER.sqsRequests);
  lines.push(line("SQS", "always-free tier (standard)", -freeStandard, "requests", prices.sqsRequest.usd));
  lines.push(line("SQS", "always-free tier (FIFO)", -Math.min(fifo, FREE_TIER.sqsRequests - freeStandard), "requests", prices.sqsFifoRequest.usd));

  // S3: one archive object per market batch (and per scraper run, webhook call), the
  // scrapers' state read and written once per run; the archive's growth.
  const scraperRuns = fns["scrape-prices"]!.invocations + fns["scrape-news"]!.invocations;
  // collect-social: one archive object per shipped batch, its cursor saved at most every 5 s.
  const socialPuts = socialMessages + SECONDS_PER_MONTH / 5;
  const puts = batches + 2 * 2 * scraperRuns + fns.ingest!.invocations + socialPuts;
  lines.push(line("S3", "PUT: one raw-archive object per market or social batch, scraper batches and state, social cursors, webhook batches", puts, "requests", prices.s3Put.usd));
  lines.push(line("S3", "GET: the scrapers' state", 2 * scraperRuns, "requests", prices.s3Get.usd));
  const growthGb = (load.tradesPerSecond * SECONDS_PER_MONTH * load.archiveBytesPerTrade) / 1e9;
  lines.push(line("S3", `raw archive after ${load.archiveMonths} months (+${growthGb.toFixed(1)} GB a month; Standard: batches are under S3's 128 KB transition minimum)`, growthGb * load.archiveMonths, "GB-month", prices.s3StandardGbMonth.usd));

  // OpenSearch: instance hours and gp3 storage of the size's nodes.
  const instance = prices.searchInstanceHour[size.instanceType];
  if (!instance) throw new Error(`no price for ${size.instanceType} in lib/cost/prices.ts`);
  lines.push(line("OpenSearch", `${size.instanceCount} × ${size.instanceType}${size.zoneAwareness ? ", zone awareness" : ""}`, size.instanceCount * HOURS_PER_MONTH, "instance-hours", instance.usd));
  lines.push(line("OpenSearch", `${size.instanceCount} × ${size.volumeGb} GB gp3`, size.instanceCount * size.volumeGb, "GB-month", prices.searchGp3GbMonth.usd));

  // IoT Core: two topics per coin per price batch, two per tag per article; each
  // message delivered again to every connected dashboard; connection minutes.
  // consume-social: refresh and data for each coin of a batch (about two coins per batch at a few posts a second).
  const publishes = priceInvocations * load.coinsPerPriceInvocation * 2 + articles * 2 * 2 + fns["consume-social"]!.invocations * 2 * 2;
  const connectedFraction = load.dashboardHoursPerDay / 24;
  const deliveries = publishes * load.dashboards * connectedFraction;
  lines.push(line("IoT Core", "messages published", publishes, "messages", prices.iotMessage.usd));
  lines.push(line("IoT Core", `messages delivered to ${load.dashboards} dashboards, ${load.dashboardHoursPerDay} h a day`, deliveries, "messages", prices.iotMessage.usd));
  const minutes = 3 * 60 * 24 * DAYS + load.dashboards * load.dashboardHoursPerDay * 60 * DAYS;
  lines.push(line("IoT Core", "connection minutes (3 publisher containers, the dashboards)", minutes, "minutes", prices.iotConnectionMinute.usd));

  // API Gateway HTTP API: the dashboards' reads, the webhook, consume-news's inference calls.
  const httpRequests = fns.api!.invocations + fns.ingest!.invocations + 3 * articles;
  lines.push(line("API Gateway", "HTTP API requests", httpRequests, "requests", prices.httpApiRequest.usd));

  // CloudWatch Logs: every invocation's lines, kept 14 days.
  const logGb = (requests * load.logBytesPerInvocation) / 1e9;
  lines.push(line("CloudWatch Logs", "ingested", logGb, "GB", prices.logsIngestGb.usd));
  lines.push(line("CloudWatch Logs", "stored (14-day retention)", (logGb * 14) / DAYS, "GB-month", prices.logsStoredGbMonth.usd));

  // CloudFront: two visits a day per dashboard, 115 kB and ~12 requests each: inside the free tier.
  const visits = load.dashboards * 2 * DAYS;
  lines.push(line("CloudFront", "dashboard downloads", (visits * 115_751) / 1e9, "GB", prices.cloudfrontGb.usd));
  lines.push(line("CloudFront", "HTTPS requests", visits * 12, "requests", prices.cloudfrontHttps.usd));
  lines.push(line("CloudFront", "always-free tier (1 TB, 10 M requests)", -visits * 12, "requests", prices.cloudfrontHttps.usd));
  lines.push(line("CloudFront", "always-free tier GB", -(visits * 115_751) / 1e9, "GB", prices.cloudfrontGb.usd));

  // KMS: SSM SecureString reads, one per warm container every SECRETS_MAX_AGE_SECONDS (300).
  lines.push(line("KMS", "SecureString decrypts (7 token readers, every 5 minutes)", 7 * 12 * 24 * DAYS, "requests", prices.kmsRequest.usd));

  const totals = new Map<string, number>();
  for (const l of lines) totals.set(l.service, (totals.get(l.service) ?? 0) + l.usd);
  const total = [...totals.values()].reduce((a, b) => a + b, 0);
  const byService = [...totals].map(([service, usd]) => ({ service, usd, share: usd / total })).sort((a, b) => b.usd - a.usd);
  return { lines, byService, total };
}

export interface Lever {
  change: string;
  savesUsd: number;
  costs: string;
}

/** What the main knobs would save at this size and load, largest first. */
export function levers(size: SearchSize, load: Load, sizes: Record<string, SearchSize>, prices = PRICES): Lever[] {
  const base = monthlyCost(size, load, prices).total;
  const out: Lever[] = [];
  // Flushing each symbol every 5 s instead of every second: 5× fewer archive objects,
  // messages, consumer invocations and notifications.
  const slower = { ...load, batchesPerSecond: load.batchesPerSecond / 5 };
  out.push({ change: "MARKET_BATCH_MAX_AGE_MS 1000 → 5000", savesUsd: base - monthlyCost(size, slower, prices).total, costs: "prices reach the dashboard ~4 s later (the 1.5 s notify target is given up)" });
  const smallest = Object.entries(sizes).sort(([, a], [, b]) => a.instanceCount - b.instanceCount)[0];
  if (smallest && smallest[1] !== size) {
    out.push({ change: `size ${smallest[0]} instead`, savesUsd: base - monthlyCost(smallest[1], load, prices).total, costs: "one node: no replica, a zone failure or a node replacement stops search until it is back" });
  }
  const quiet = { ...load, dashboardHoursPerDay: 0 };
  out.push({ change: "no dashboard connected (MQTT deliveries)", savesUsd: base - monthlyCost(size, quiet, prices).total, costs: "the live view" });
  return out.sort((a, b) => b.savesUsd - a.savesUsd);
}
