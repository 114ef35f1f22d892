import { scraperAdapters } from "../../lib/adapters/aws/scraperAdapters.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { scheduleHandler } from "../../lib/lambda/scheduleHandler.ts";
import { launchChromium } from "../../lib/scraper/launchChromium.ts";
import { scheduledScrape } from "../../lib/scraper/scheduledScrape.ts";

// Clients and settings once per container; Chromium once per invocation (closed at its end).
const logger = createLogger("scrape-prices");
const scrape = scheduledScrape({ ...scraperAdapters(), logger, launch: () => launchChromium(), defaultScrapers: ["scrapers/cryptocompare.yaml", "scrapers/coinmarketcap.yaml"] });

/** Scheduled: scrapes the price listings (CryptoCompare, CoinMarketCap) → price-tasks. */
export const handler = scheduleHandler(scrape, { logger });
