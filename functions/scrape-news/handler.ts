import { scraperAdapters } from "../../lib/adapters/aws/scraperAdapters.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { scheduleHandler } from "../../lib/lambda/scheduleHandler.ts";
import { launchChromium } from "../../lib/scraper/launchChromium.ts";
import { scheduledScrape } from "../../lib/scraper/scheduledScrape.ts";

// Clients and settings once per container; Chromium once per invocation (closed at its end).
const logger = createLogger("scrape-news");
const scrape = scheduledScrape({ ...scraperAdapters(), logger, launch: () => launchChromium(), defaultScrapers: ["scrapers/u.today.yaml", "scrapers/coindesk.yaml"] });

/** Scheduled: scrapes the news sites (u.today, CoinDesk) → news-tasks. */
export const handler = scheduleHandler(scrape, { logger });
