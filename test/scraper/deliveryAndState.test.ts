import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { after, before, describe, it } from "node:test";
import { sha256Hex } from "../../contracts/hash.ts";
import { canonicalUrl, newsArticleSchema, NEWS_ARTICLE_SCHEMA } from "../../contracts/news.ts";
import { parseWireEnvelope, validatePayload } from "../../lib/queue/envelope.ts";
import { launchChromium, type LaunchedChromium } from "../../lib/scraper/launchChromium.ts";
import { loadScraperConfig, validateScraperConfig } from "../../lib/scraper/loadScraperConfig.ts";
import { marketListingId } from "../../contracts/listing.ts";
import { marketListingSchema } from "../../contracts/listing.ts";
import { MARKET_LISTING_SCHEMA } from "../../contracts/listing.ts";
import { runScraper } from "../../lib/scraper/runScraper.ts";
import { SeenUrlStore } from "../../lib/scraper/SeenUrlStore.ts";
import { sqsSinkFromEnv } from "../../lib/adapters/aws/scraperAdapters.ts";
import { S3StateStore } from "../../lib/adapters/aws/S3StateStore.ts";
import { WebhookSink } from "../../lib/scraper/sinks/WebhookSink.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { CollectingSink } from "./helpers/CollectingSink.ts";
import { expectedListings, expectedUToday } from "./helpers/expectedRecords.ts";
import { fixtureDir, serveFixtureSite } from "./helpers/fixtureServer.ts";

const RAW = "cryptoviz-test-raw";
const env = { NEWS_QUEUE: "scrape-news-tasks", PRICE_QUEUE: "scrape-price-tasks", RAW_BUCKET: RAW };

describe("delivery (sqs, webhook) and skip-already-scraped state in S3", () => {
  let cloud: LocalSqsS3;
  let browser: LaunchedChromium;
  let queues: Record<string, string>;
  before(async () => {
    [cloud, browser] = await Promise.all([startLocalSqsS3(), launchChromium()]);
    const created = await createQueues(cloud, [
      ...queueWithDlq(env.NEWS_QUEUE, { visibilityTimeout: 30, maxReceiveCount: 3 }),
      ...queueWithDlq(env.PRICE_QUEUE, { visibilityTimeout: 30, maxReceiveCount: 3 }),
    ]);
    queues = Object.fromEntries([...created.queues.values()].map((q) => [q.name, q.url]));
    await cloud.s3.send(new CreateBucketCommand({ Bucket: RAW }));
  });
  after(async () => {
    await Promise.all([browser.close(), cloud.close()]);
  });

  async function drain(queueUrl: string) {
    const bodies: string[] = [];
    for (;;) {
      const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      if (Messages.length === 0) return bodies;
      bodies.push(...Messages.map((m) => m.Body!));
    }
  }

  async function archived(prefix: string) {
    const { Contents = [] } = await cloud.s3.send(new ListObjectsV2Command({ Bucket: RAW, Prefix: prefix }));
    return Promise.all(
      Contents.map(async (o) => {
        const body = await cloud.s3.send(new GetObjectCommand({ Bucket: RAW, Key: o.Key! }));
        const lines = gunzipSync(Buffer.from(await body.Body!.transformToByteArray())).toString().trim().split("\n");
        return { key: o.Key!, records: lines.map((l) => JSON.parse(l)) };
      }),
    );
  }

  it("sqs sink: news.article/v1 envelopes on the news queue, raw batch archived under raw/u.today/", async () => {
    const site = await serveFixtureSite(fixtureDir("u.today"));
    try {
      const report = await runScraper(await loadScraperConfig("scrapers/u.today.yaml"), { browser, sink: sqsSinkFromEnv(cloud, env), baseUrlOverride: site.url });
      assert.equal(report.delivered, 4);
      const envelopes = (await drain(queues[env.NEWS_QUEUE]!)).map((body) => validatePayload(parseWireEnvelope(body), parseWireEnvelope(body).payload, { [NEWS_ARTICLE_SCHEMA]: newsArticleSchema }));
      const expected = expectedUToday(site.url).map(({ link, authorName, ...rest }) => ({ source: "u.today", url: link, ...(authorName ? { author: authorName } : {}), ...rest }));
      assert.deepEqual(
        envelopes.map((e) => e.payload).sort((a, b) => a.url.localeCompare(b.url)),
        expected.sort((a, b) => a.url.localeCompare(b.url)),
      );
      for (const e of envelopes) {
        assert.equal(e.schema, NEWS_ARTICLE_SCHEMA);
        assert.equal(e.source, "u.today");
        assert.equal(e.id, sha256Hex(canonicalUrl(e.payload.url)), "id = hash of the canonical URL, as the webhook does");
      }
      const batches = await archived("raw/u.today/");
      assert.equal(batches.length, 1);
      assert.match(batches[0]!.key, /^raw\/u\.today\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/[0-9a-f]{32}\.jsonl\.gz$/);
      assert.equal(batches[0]!.records.length, 4);
      assert.equal(envelopes[0]!.correlationId, batches[0]!.key.split("/").pop()!.replace(".jsonl.gz", ""));
    } finally {
      await site.close();
    }
  });

  it("sqs sink: market.listing/v1 envelopes on the price queue", async () => {
    const site = await serveFixtureSite(fixtureDir("cryptocompare"));
    try {
      const report = await runScraper(await loadScraperConfig("scrapers/cryptocompare.yaml"), { browser, sink: sqsSinkFromEnv(cloud, env), baseUrlOverride: site.url });
      assert.equal(report.delivered, 5);
      const envelopes = (await drain(queues[env.PRICE_QUEUE]!)).map((body) => validatePayload(parseWireEnvelope(body), parseWireEnvelope(body).payload, { [MARKET_LISTING_SCHEMA]: marketListingSchema }));
      const payloads = envelopes.map((e) => e.payload).sort((a, b) => a.rank! - b.rank!);
      assert.deepEqual(
        payloads.map(({ observedAt: _at, source: _s, currency: _c, change24hPct, ...rest }) => ({ ...rest, change24h: change24hPct })),
        expectedListings("cryptocompare").map(({ rank, name, symbol, price, change24h, marketCap, volume24h }) => ({ symbol, name, price, marketCap, volume24h, rank, change24h })),
      );
      for (const e of envelopes) {
        assert.equal(e.id, marketListingId(e.payload));
        assert.match(e.payload.observedAt, /:00\.000Z$/, "observedAt is the minute of the scrape");
        assert.equal(e.payload.currency, "USD");
      }
      assert.equal((await archived("raw/cryptocompare.com/")).length, 1);
    } finally {
      await site.close();
    }
  });

  it("skips URLs already scraped across two runs, with the state in S3 (not in memory)", async () => {
    const site = await serveFixtureSite(fixtureDir("u.today"));
    try {
      const config = await loadScraperConfig("scrapers/u.today.yaml");
      const key = SeenUrlStore.keyFor(config.domain);
      const first = new CollectingSink();
      const run1 = await runScraper(config, { browser, sink: first, baseUrlOverride: site.url, seen: await new SeenUrlStore(new S3StateStore(cloud.s3, RAW), key).load() });
      assert.equal(run1.delivered, 4);
      const stored = JSON.parse(await (await cloud.s3.send(new GetObjectCommand({ Bucket: RAW, Key: key }))).Body!.transformToString());
      assert.deepEqual(Object.keys(stored.urls).sort(), expectedUToday(site.url).map((r) => r.link).sort(), "the real site's canonical URLs, whatever the base URL");

      site.requests.length = 0;
      // A new store object, as in another Lambda container: everything it knows comes from S3.
      const second = new CollectingSink();
      const run2 = await runScraper(config, { browser, sink: second, baseUrlOverride: site.url, seen: await new SeenUrlStore(new S3StateStore(cloud.s3, RAW), key).load() });
      assert.equal(run2.records, 0);
      assert.equal(run2.skippedAlreadyScraped, 4);
      assert.deepEqual(site.requests, ["/latest-cryptocurrency-news"], "only the listing is fetched");
    } finally {
      await site.close();
    }
  });

  it("a record left partial by a slow page is delivered but not remembered, so the next run fetches it again", async () => {
    const site = await serveFixtureSite(fixtureDir("lab"));
    try {
      const config = validateScraperConfig("lab.yaml", {
        domain: "lab.test",
        kind: "news",
        baseUrl: "https://lab.test",
        politeness: { delayMs: 0, concurrency: 2 },
        tasks: [
          { type: "navigate", params: { url: "/list" } },
          {
            type: "extract",
            params: { cssSelector: ".item a.go", extractAttributes: { href: { as: "link" } }, limit: 4 },
            tasks: [
              { type: "navigate", params: { url: "$link", skipIfScraped: true } },
              { type: "extract", params: { cssSelector: "h1.title", extractAttributes: { text: { as: "title" } } } },
              { type: "extract", params: { cssSelector: ".body", extractAttributes: { text: { as: "content" } }, timeout: 300 } },
            ],
          },
        ],
      });
      const key = SeenUrlStore.keyFor(config.domain);
      const run1 = await runScraper(config, { browser, sink: new CollectingSink(), baseUrlOverride: site.url, seen: await new SeenUrlStore(new S3StateStore(cloud.s3, RAW), key).load() });
      assert.equal(run1.delivered, 4);
      assert.equal(run1.partial, 1);
      const run2 = await runScraper(config, { browser, sink: new CollectingSink(), baseUrlOverride: site.url, seen: await new SeenUrlStore(new S3StateStore(cloud.s3, RAW), key).load() });
      assert.equal(run2.skippedAlreadyScraped, 3);
      assert.equal(run2.records, 1, "item 3 (timed out) is scraped again");
    } finally {
      await site.close();
    }
  });

  it("webhook sink: POSTs {source, items} with the config's headers, secrets from the environment", async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: { source: string; items: Array<Record<string, unknown>> } }> = [];
    const server = createServer((req, res) => {
      let text = "";
      req.on("data", (c) => (text += c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: JSON.parse(text) });
        res.writeHead(202, { "Content-Type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest/news`;
    const site = await serveFixtureSite(fixtureDir("u.today"));
    try {
      const config = { ...(await loadScraperConfig("scrapers/u.today.yaml")), sink: "webhook" as const, webhook: { url: hook, headers: { Authorization: "Basic ${env:SCRAPER_WEBHOOK_CREDENTIALS}" } } };
      const sink = new WebhookSink({ env: { SCRAPER_WEBHOOK_CREDENTIALS: "Y3Jhd2xlcjpzZWNyZXQ=" } });
      const report = await runScraper(config, { browser, sink, baseUrlOverride: site.url });
      assert.equal(report.delivered, 4);
      assert.equal(received.length, 1);
      assert.equal(received[0]!.headers.authorization, "Basic Y3Jhd2xlcjpzZWNyZXQ=");
      assert.equal(received[0]!.body.source, "u.today");
      assert.deepEqual(received[0]!.body.items, expectedUToday(site.url), "the original crawler's field names (link, authorName)");
    } finally {
      await site.close();
      server.close();
    }
  });
});
