import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { launchChromium, type LaunchedChromium } from "../../lib/scraper/launchChromium.ts";
import { loadScraperConfig } from "../../lib/scraper/loadScraperConfig.ts";
import { runScraper } from "../../lib/scraper/runScraper.ts";
import { CollectingSink } from "./helpers/CollectingSink.ts";
import { expectedCoinDesk, expectedListings, expectedUToday } from "./helpers/expectedRecords.ts";
import { fixtureDir, serveFixtureSite } from "./helpers/fixtureServer.ts";

describe("shipped configs against their fixture sites", () => {
  let browser: LaunchedChromium;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser.close();
  });

  async function scrape(config: string, site: string) {
    const server = await serveFixtureSite(fixtureDir(site));
    try {
      const sink = new CollectingSink();
      const report = await runScraper(await loadScraperConfig(`scrapers/${config}.yaml`), { browser, sink, baseUrlOverride: server.url });
      return { report, records: sink.records, server };
    } finally {
      await server.close();
    }
  }

  it("u.today: listing → article pages, every field, optional author and tags, images/fonts/media blocked", async () => {
    const { report, records, server } = await scrape("u.today", "u.today");
    assert.deepEqual(report.errors, []);
    assert.deepEqual(records.map((r) => r.fields), expectedUToday(server.url));
    assert.equal(report.pages, 5);
    assert.ok(records.every((r) => r.seenKey?.startsWith("https://u.today/")), "seen keys are the real site's URLs");
    assert.deepEqual(server.requests.filter((p) => p.startsWith("/static/")), [], "no image, font or video was fetched");
  });

  it("coindesk: relative links, datetime attribute, tags", async () => {
    const { report, records, server } = await scrape("coindesk", "coindesk");
    assert.deepEqual(report.errors, []);
    assert.deepEqual(records.map((r) => r.fields), expectedCoinDesk(server.url));
  });

  for (const site of ["cryptocompare", "coinmarketcap"] as const) {
    it(`${site}: one record per table row, numbers parsed (units, separators, signs)`, async () => {
      const { report, records } = await scrape(site, site);
      assert.deepEqual(report.errors, []);
      assert.deepEqual(records.map((r) => r.fields), expectedListings(site));
      assert.equal(report.pages, 1);
    });
  }
});
