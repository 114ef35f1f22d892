import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { scrapeContext, startScrapeHarness, type ScrapeHarness } from "../../test/scraper/helpers/scrapeHandlerHarness.ts";

describe("scrape-prices handler", () => {
  let harness: ScrapeHarness;
  before(async () => {
    harness = await startScrapeHarness();
  });
  after(() => harness.close());

  it("both listing configs, market.listing/v1 envelopes on price-tasks", async () => {
    const { handler } = await import("./handler.ts");
    const event = JSON.parse(readFileSync("functions/scrape-prices/event.json", "utf8"));
    const summary = await handler(event, scrapeContext(30_000));
    assert.deepEqual(summary.reports.map((r) => [r.domain, r.delivered, r.errorCount]), [["cryptocompare.com", 5, 0], ["coinmarketcap.com", 5, 0]]);
    const envelopes = await harness.drain("h-price-tasks");
    assert.equal(envelopes.length, 10);
    assert.ok(envelopes.every((e) => e.schema === "market.listing/v1"));
  });
});
