import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Context } from "aws-lambda";
import { scraperAdapters } from "../../lib/adapters/aws/scraperAdapters.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { launchChromium } from "../../lib/scraper/launchChromium.ts";
import { scheduledScrape, type ScrapeEvent, type ScrapeSummary } from "../../lib/scraper/scheduledScrape.ts";

// Clients and settings once per container; Chromium once per invocation (closed at its end).
const logger = createLogger("scrape-news");
const scrape = scheduledScrape({
  ...scraperAdapters(),
  logger,
  launch: () => launchChromium(),
  defaultScrapers: ["scrapers/u.today.yaml", "scrapers/coindesk.yaml"],
});

/** Scheduled: scrapes the news sites (u.today, CoinDesk) → news-tasks. */
export const handler = middy<ScrapeEvent, ScrapeSummary, Error, Context>()
  .use(injectLambdaContext(logger))
  .handler((event, context) => scrape(event, () => context.getRemainingTimeInMillis()));
