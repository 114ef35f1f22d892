// The load the cost model prices: what the default deployment does in a month,
// each figure with where it comes from (measured here, configured in
// serverless.yml, or assumed — and then said so).

export interface FunctionLoad {
  /** Invocations in a 30-day month. */
  invocations: number;
  /** Billed duration per invocation, seconds. */
  seconds: number;
  memoryMb: number;
  architecture: "arm64" | "x86_64";
  /** Where the duration comes from. */
  basis: string;
}

export interface Load {
  /** Trades per second over all collected streams (8: Binance 3, Kucoin 3, BitMEX 2). */
  tradesPerSecond: number;
  /**
   * Collector flushes per second: one per active symbol per MARKET_BATCH_MAX_AGE_MS.
   * Measured: 7.6 a second at 80 trades/s over the 8 streams (the market simulator,
   * 20 s window, serverless.yml's batching), 45 gzipped bytes archived per trade with
   * the quotes and tickers.
   */
  batchesPerSecond: number;
  /** Gzipped bytes archived per trade (JSON Lines, with quotes and tickers). */
  archiveBytesPerTrade: number;
  /** Messages per consume-prices invocation (batchSize 10, no batching window, 8 messages/s). */
  messagesPerPriceInvocation: number;
  /** Coins per consume-prices invocation, each notified on two topics. */
  coinsPerPriceInvocation: number;
  /** Dashboards connected (MQTT over WebSocket), and for how many hours a day. */
  dashboards: number;
  dashboardHoursPerDay: number;
  /** API requests a day (dashboards' reads). */
  apiRequestsPerDay: number;
  /** Articles a day through consume-news (3 inference calls each). */
  articlesPerDay: number;
  /** Social posts a second that mention a followed coin (Jetstream, filtered by collect-social). */
  socialPostsPerSecond: number;
  /** social-tasks messages a second: collect-social ships a batch at most every second. */
  socialMessagesPerSecond: number;
  /** Webhook calls a day. */
  ingestRequestsPerDay: number;
  /** Log bytes per invocation (Lambda's START/END/REPORT plus the function's own lines). */
  logBytesPerInvocation: number;
  /** Months of archive accumulated, for the storage line. */
  archiveMonths: number;
}

export const SECONDS_PER_MONTH = 30 * 24 * 3600;

export const DEFAULT_LOAD: Load = {
  tradesPerSecond: 80,
  batchesPerSecond: 8,
  archiveBytesPerTrade: 45,
  messagesPerPriceInvocation: 3,
  coinsPerPriceInvocation: 3,
  dashboards: 2,
  dashboardHoursPerDay: 8,
  apiRequestsPerDay: 20_000,
  articlesPerDay: 300,
  socialPostsPerSecond: 2,
  socialMessagesPerSecond: 1,
  ingestRequestsPerDay: 300,
  logBytesPerInvocation: 800,
  archiveMonths: 12,
};

/** Each function's month at `load`: invocations from the schedules and the traffic, durations as measured. */
export function functionLoads(load: Load): Record<string, FunctionLoad> {
  const month = SECONDS_PER_MONTH;
  const priceInvocations = (load.batchesPerSecond * month) / load.messagesPerPriceInvocation;
  const articles = load.articlesPerDay * 30;
  // consume-social's 2 s batching window gathers about two seconds of messages per invocation.
  const socialInvocations = load.socialPostsPerSecond > 0 ? month / 2 : 0;
  return {
    "collect-market": { invocations: month / 60, seconds: 63, memoryMb: 512, architecture: "arm64", basis: "the 62 s window (MARKET_WINDOW_MS) plus the final flush, every minute" },
    "consume-prices": { invocations: priceInvocations, seconds: 0.224, memoryMb: 1024, architecture: "arm64", basis: "mean invocation, npm run bench -- pipeline (docs/market-collectors.md, 2026-11-22)" },
    "consume-news": { invocations: articles / 2, seconds: 1.2, memoryMb: 1024, architecture: "arm64", basis: "two articles per batch (2 s window), three inference calls in parallel and the store write each (assumed)" },
    "collect-social": { invocations: month / 60, seconds: 58, memoryMb: 512, architecture: "arm64", basis: "the 50 s window (SOCIAL_WINDOW_SECONDS) plus the 8 s flush reserve, every minute; 12 % of one core at 2,000 posts/s offered (npm run bench -- social)" },
    "consume-social": { invocations: socialInvocations, seconds: 0.3, memoryMb: 1024, architecture: "arm64", basis: "one batch per 2 s window at a few posts a second; p50 0.53 s per batch of up to 10 messages at 200 posts/s (npm run bench -- social-consume)" },
    "infer-sentiment": { invocations: articles + socialInvocations, seconds: 0.06, memoryMb: 1024, architecture: "arm64", basis: "one title + 32 sentences in a batch (news) or one batch of posts (social), 39–51k headlines/s (npm run bench -- sentiment) plus the HTTP round trip" },
    "infer-summary": { invocations: articles, seconds: 0.05, memoryMb: 1024, architecture: "arm64", basis: "~220 articles/s (npm run bench -- text-enrichment) plus the round trip" },
    "infer-keywords": { invocations: articles, seconds: 0.05, memoryMb: 1024, architecture: "arm64", basis: "as infer-summary" },
    "scrape-prices": { invocations: month / 60, seconds: 5, memoryMb: 2048, architecture: "x86_64", basis: "~5 s per run (docs/scraper.md), every minute" },
    "scrape-news": { invocations: month / 300, seconds: 30, memoryMb: 2048, architecture: "x86_64", basis: "~30 s per run (docs/scraper.md), every 5 minutes" },
    api: { invocations: load.apiRequestsPerDay * 30, seconds: 0.03, memoryMb: 512, architecture: "arm64", basis: "p95 1.4–7.7 ms per route locally (npm run bench -- api) plus ~20 ms to the domain (assumed)" },
    ingest: { invocations: load.ingestRequestsPerDay * 30, seconds: 0.1, memoryMb: 512, architecture: "arm64", basis: "archive + enqueue of one batch (assumed)" },
    "iot-authorizer": { invocations: load.dashboards * (load.dashboardHoursPerDay + 1) * 30, seconds: 0.05, memoryMb: 256, architecture: "arm64", basis: "one per connection and per hourly refresh" },
    "search-security": { invocations: 0, seconds: 2, memoryMb: 256, architecture: "arm64", basis: "once per deploy that changes the roles" },
  };
}
