// One page with text SQS refuses must not cost a run its delivery: the sqs sink
// drops and reports that record, the webhook sink drops the item the ingest
// webhook names and sends the rest again. Real Chromium, a generated fixture
// site, the real ingest handler over HTTP, the real local SQS/S3 emulator.
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { PurgeQueueCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { parseWireEnvelope } from "../../lib/queue/envelope.ts";
import { launchChromium, type LaunchedChromium } from "../../lib/scraper/launchChromium.ts";
import { validateScraperConfig } from "../../lib/scraper/loadScraperConfig.ts";
import { runScraper } from "../../lib/scraper/runScraper.ts";
import { sqsSinkFromEnv } from "../../lib/adapters/aws/scraperAdapters.ts";
import { WebhookSink } from "../../lib/scraper/sinks/WebhookSink.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { serveHttpLambda, type HttpLambdaServer } from "../helpers/serveHttpLambda.ts";
import { serveFixtureSite, type FixtureServer } from "./helpers/fixtureServer.ts";

const RAW = "sink-refusals-raw";
const env = { NEWS_QUEUE: "refusal-news", PRICE_QUEUE: "refusal-prices", RAW_BUCKET: RAW };

// Titles as the pages render them: U+FFFF from a character reference, a lone
// surrogate written by the page's script (HTML text cannot carry one).
const TITLES: Record<string, { html: string; script?: string }> = {
  "1": { html: "Bitcoin holds its range" },
  "2": { html: "Noncharacter &#xFFFF; in a headline" },
  "3": { html: "placeholder", script: "document.querySelector('h1').textContent = 'Lone \\uD800 surrogate';" },
  "4": { html: "Ether gas fees fall" },
};

function page(path: string): string | undefined {
  if (path === "/list") {
    return `<!doctype html><meta charset="utf-8"><ul>${Object.keys(TITLES).map((id) => `<li class="item"><a href="/item/${id}">item ${id}</a></li>`).join("")}</ul>`;
  }
  const id = /^\/item\/(\d)$/.exec(path)?.[1];
  const title = id ? TITLES[id] : undefined;
  if (!title) return undefined;
  return `<!doctype html><meta charset="utf-8"><h1>${title.html}</h1>${title.script ? `<script>${title.script}</script>` : ""}`;
}

const config = (sink: "sqs" | "webhook", webhookUrl = "") =>
  validateScraperConfig("refusals.yaml", {
    domain: "refusals.test",
    kind: "news",
    baseUrl: "https://refusals.test",
    politeness: { delayMs: 0, concurrency: 2 },
    sink,
    ...(sink === "webhook" ? { webhook: { url: webhookUrl, headers: { Authorization: "Bearer sink-refusals-token" } } } : {}),
    tasks: [
      { type: "navigate", params: { url: "/list" } },
      {
        type: "extract",
        params: { cssSelector: ".item a", extractAttributes: { href: { as: "link" } } },
        tasks: [
          { type: "navigate", params: { url: "$link" } },
          { type: "extract", params: { cssSelector: "h1", extractAttributes: { text: { as: "title" } } } },
        ],
      },
    ],
  });

describe("a page with text SQS refuses is dropped and reported; the rest of the run is delivered", () => {
  let cloud: LocalSqsS3;
  let browser: LaunchedChromium;
  let site: FixtureServer;
  let ingest: HttpLambdaServer;
  let newsUrl: string;
  before(async () => {
    [cloud, browser, site] = await Promise.all([startLocalSqsS3(), launchChromium(), serveFixtureSite(undefined, page)]);
    const created = await createQueues(cloud, [
      ...queueWithDlq(env.NEWS_QUEUE, { visibilityTimeout: 30, maxReceiveCount: 3 }),
      ...queueWithDlq(env.PRICE_QUEUE, { visibilityTimeout: 30, maxReceiveCount: 3 }),
    ]);
    newsUrl = created.queues.get(env.NEWS_QUEUE)!.url;
    await cloud.s3.send(new CreateBucketCommand({ Bucket: RAW }));
    Object.assign(process.env, { ...env, CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url, INGEST_TOKEN: "sink-refusals-token" });
    const { handler } = await import("../../functions/ingest/handler.ts");
    ingest = await serveHttpLambda({ "POST /ingest/news": (event, context) => handler({ ...event, pathParameters: { kind: "news" } }, context) });
  });
  after(async () => {
    await Promise.all([browser.close(), site.close(), ingest.close()]);
    await cloud.close();
  });

  async function drainTitles(): Promise<string[]> {
    const titles: string[] = [];
    for (;;) {
      const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: newsUrl, MaxNumberOfMessages: 10 }));
      if (Messages.length === 0) return titles.sort();
      titles.push(...Messages.map((m) => (parseWireEnvelope(m.Body!).payload as { title: string }).title));
    }
  }

  it("sqs sink: two of four delivered and archived, the two refused named by field with the code point", async () => {
    const report = await runScraper(config("sqs"), { browser, sink: sqsSinkFromEnv(cloud, env), baseUrlOverride: site.url });
    assert.equal(report.records, 4);
    assert.equal(report.delivered, 2);
    const refused = report.errors.filter((e) => e.kind === "rejected");
    assert.deepEqual(refused.map((e) => [e.field, e.url?.replace(site.url, "")]).sort(), [["title", "/item/2"], ["title", "/item/3"]]);
    assert.ok(refused.some((e) => e.message.includes("U+FFFF")) && refused.some((e) => e.message.includes("U+D800")), JSON.stringify(refused));
    assert.deepEqual(await drainTitles(), ["Bitcoin holds its range", "Ether gas fees fall"]);
    const { Contents = [] } = await cloud.s3.send(new ListObjectsV2Command({ Bucket: RAW, Prefix: "raw/refusals.test/" }));
    assert.equal(Contents.length, 1);
    const object = await cloud.s3.send(new GetObjectCommand({ Bucket: RAW, Key: Contents[0]!.Key! }));
    const lines = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString().trim().split("\n");
    assert.equal(lines.length, 2, "only what was enqueued is archived");
  });

  it("webhook sink through the real ingest webhook: the items it names are dropped, the others stored", async () => {
    await cloud.sqs.send(new PurgeQueueCommand({ QueueUrl: newsUrl }));
    const report = await runScraper(config("webhook", `${ingest.url}/ingest/news`), { browser, sink: new WebhookSink(), baseUrlOverride: site.url });
    assert.equal(report.delivered, 2);
    const refused = report.errors.filter((e) => e.kind === "rejected");
    assert.equal(refused.length, 2);
    for (const e of refused) assert.match(e.message, /HTTP 400 .*"field":"items\[\d\]\.title"/);
    assert.deepEqual(refused.map((e) => e.url?.replace(site.url, "")).sort(), ["/item/2", "/item/3"]);
    assert.deepEqual(await drainTitles(), ["Bitcoin holds its range", "Ether gas fees fall"]);
    assert.equal(ingest.requests.length, 3, "refused twice, each time naming one item, then accepted");
  });

  it("sqs sink: an emoji is not refused", async () => {
    const records = [{ fields: { title: "Rocket 🚀 week", link: "https://refusals.test/rocket" }, errors: [] }];
    const sink = sqsSinkFromEnv(cloud, env);
    const outcome = await sink.write(config("sqs"), records, new Date());
    assert.deepEqual([outcome.delivered.length, outcome.rejected.length], [1, 0]);
  });
});
