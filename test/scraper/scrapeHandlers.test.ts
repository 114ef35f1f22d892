import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CreateBucketCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import { after, before, describe, it } from "node:test";
import { parseWireEnvelope } from "../../lib/queue/envelope.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { fixtureDir, serveFixtureSite, type FixtureServer } from "./helpers/fixtureServer.ts";

// The scheduled handlers as Lambda runs them: module-scope clients from the
// environment, the sample events, the local cloud, the fixture sites standing
// in for the real ones through SCRAPER_BASE_URLS.

const context = (timeoutMs: number): Context => {
  const end = Date.now() + timeoutMs;
  return { getRemainingTimeInMillis: () => end - Date.now(), functionName: "scrape", awsRequestId: "test-request" } as unknown as Context;
};

describe("scrape-news and scrape-prices handlers", () => {
  let cloud: LocalSqsS3;
  const sites: Record<string, FixtureServer> = {};
  let queueUrls: Map<string, string>;
  before(async () => {
    cloud = await startLocalSqsS3();
    const created = await createQueues(cloud, [
      ...queueWithDlq("h-news-tasks", { visibilityTimeout: 30, maxReceiveCount: 3 }),
      ...queueWithDlq("h-price-tasks", { visibilityTimeout: 30, maxReceiveCount: 3 }),
    ]);
    queueUrls = new Map([...created.queues.values()].map((q) => [q.name, q.url]));
    await cloud.s3.send(new CreateBucketCommand({ Bucket: "h-raw" }));
    for (const site of ["u.today", "coindesk", "cryptocompare", "coinmarketcap"]) sites[site] = await serveFixtureSite(fixtureDir(site));
    Object.assign(process.env, {
      CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
      AWS_REGION: "us-east-1",
      NEWS_QUEUE: "h-news-tasks",
      PRICE_QUEUE: "h-price-tasks",
      RAW_BUCKET: "h-raw",
      CRYPTOVIZ_LOG_LEVEL: "SILENT",
      SCRAPER_FLUSH_RESERVE_MS: "2000",
      SCRAPER_BASE_URLS: JSON.stringify({
        "u.today": sites["u.today"]!.url,
        "coindesk.com": sites.coindesk!.url,
        "cryptocompare.com": sites.cryptocompare!.url,
        "coinmarketcap.com": sites.coinmarketcap!.url,
      }),
    });
  });
  after(async () => {
    await Promise.all(Object.values(sites).map((s) => s.close()));
    await cloud.close();
  });

  const drain = async (queue: string) => {
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrls.get(queue)!, MaxNumberOfMessages: 10 }));
    return Messages.map((m) => parseWireEnvelope(m.Body!));
  };

  it("scrape-news: both news configs, envelopes on news-tasks, state saved; a second run skips what it delivered", async () => {
    const { handler } = await import("../../functions/scrape-news/handler.ts");
    const event = JSON.parse(readFileSync("test/events/scrape-news.json", "utf8"));
    const summary = await handler(event, context(60_000));
    assert.deepEqual(summary.reports.map((r) => [r.domain, r.delivered, r.errorCount]), [["u.today", 4, 0], ["coindesk.com", 3, 0]]);
    const first = [...(await drain("h-news-tasks")), ...(await drain("h-news-tasks"))];
    assert.equal(first.length, 7);
    assert.ok(first.every((e) => e.schema === "news.article/v1"));
    const state = await cloud.s3.send(new GetObjectCommand({ Bucket: "h-raw", Key: "state/scrapers/coindesk.com/seen.json" }));
    assert.equal(Object.keys(JSON.parse(await state.Body!.transformToString()).urls).length, 3);

    const again = await handler(event, context(60_000));
    assert.deepEqual(again.reports.map((r) => [r.domain, r.records, r.skippedAlreadyScraped]), [["u.today", 0, 4], ["coindesk.com", 0, 3]]);
  });

  it("scrape-prices: both listing configs, market.listing/v1 envelopes on price-tasks", async () => {
    const { handler } = await import("../../functions/scrape-prices/handler.ts");
    const event = JSON.parse(readFileSync("test/events/scrape-prices.json", "utf8"));
    const summary = await handler(event, context(30_000));
    assert.deepEqual(summary.reports.map((r) => [r.domain, r.delivered, r.errorCount]), [["cryptocompare.com", 5, 0], ["coinmarketcap.com", 5, 0]]);
    const envelopes = [...(await drain("h-price-tasks")), ...(await drain("h-price-tasks"))];
    assert.equal(envelopes.length, 10);
    assert.ok(envelopes.every((e) => e.schema === "market.listing/v1"));
  });

  it("an invocation close to its timeout stops starting pages and still delivers what it found", async () => {
    const { handler } = await import("../../functions/scrape-news/handler.ts");
    // Forget u.today's state so it has work to do; 6 s left, 2 s reserved for the flush: with
    // u.today's politeness (1 s between navigations) the fourth article cannot start in time.
    await cloud.s3.send(new (await import("@aws-sdk/client-s3")).DeleteObjectCommand({ Bucket: "h-raw", Key: "state/scrapers/u.today/seen.json" }));
    const started = Date.now();
    const summary = await handler({ scrapers: ["scrapers/u.today.yaml"] }, context(6_000));
    const [report] = summary.reports;
    assert.ok(Date.now() - started < 6_000, `returned within the invocation (${Date.now() - started} ms)`);
    assert.equal(report!.aborted, true);
    assert.ok(report!.delivered >= 1 && report!.delivered < 4, `delivered ${report!.delivered}`);
  });
});
