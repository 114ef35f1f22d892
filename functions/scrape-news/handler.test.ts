import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { DeleteObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { RAW_BUCKET, scrapeContext, startScrapeHarness, type ScrapeHarness } from "../../test/scraper/helpers/scrapeHandlerHarness.ts";

describe("scrape-news handler", () => {
  let harness: ScrapeHarness;
  before(async () => {
    harness = await startScrapeHarness();
  });
  after(() => harness.close());

  it("both news configs, envelopes on news-tasks, state saved; a second run skips what it delivered", async () => {
    const { handler } = await import("./handler.ts");
    const event = JSON.parse(readFileSync("functions/scrape-news/event.json", "utf8"));
    const summary = await handler(event, scrapeContext(60_000));
    assert.deepEqual(summary.reports.map((r) => [r.domain, r.delivered, r.errorCount]), [["u.today", 4, 0], ["coindesk.com", 3, 0]]);
    const first = await harness.drain("h-news-tasks");
    assert.equal(first.length, 7);
    assert.ok(first.every((e) => e.schema === "news.article/v1"));
    const state = await harness.cloud.s3.send(new GetObjectCommand({ Bucket: RAW_BUCKET, Key: "state/scrapers/coindesk.com/seen.json" }));
    assert.equal(Object.keys(JSON.parse(await state.Body!.transformToString()).urls).length, 3);

    const again = await handler(event, scrapeContext(60_000));
    assert.deepEqual(again.reports.map((r) => [r.domain, r.records, r.skippedAlreadyScraped]), [["u.today", 0, 4], ["coindesk.com", 0, 3]]);
  });

  it("an invocation close to its timeout stops starting pages and still delivers what it found", async () => {
    const { handler } = await import("./handler.ts");
    // Forget u.today's state so it has work to do; 6 s left, 2 s reserved for the flush: with
    // u.today's politeness (1 s between navigations) the fourth article cannot start in time.
    await harness.cloud.s3.send(new DeleteObjectCommand({ Bucket: RAW_BUCKET, Key: "state/scrapers/u.today/seen.json" }));
    const started = Date.now();
    const summary = await handler({ scrapers: ["scrapers/u.today.yaml"] }, scrapeContext(6_000));
    const [report] = summary.reports;
    assert.ok(Date.now() - started < 6_000, `returned within the invocation (${Date.now() - started} ms)`);
    assert.equal(report!.aborted, true);
    assert.ok(report!.delivered >= 1 && report!.delivered < 4, `delivered ${report!.delivered}`);
  });
});
