// consume-news end to end: the real handler behind the local event source
// mapping, the real inference functions over HTTP (through
// @huggingface/inference), the local search endpoint and MQTT broker.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type Message } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import mqtt from "mqtt";
import { startSearchServer } from "@cryptoviz/local-search";
import type { EventSourceMapping } from "../../localcloud/esm/EventSourceMapping.ts";
import { mapQueueToHandler } from "../../test/helpers/mapQueueToHandler.ts";
import type { MqttBroker } from "../../localcloud/mqtt/broker.ts";
import type { NewsArticle } from "../../contracts/news.ts";
import { WRITE_RESERVE_MS } from "../../lib/news/consumeNewsMessages.ts";
import { DEAD_LETTER_ATTRIBUTES } from "../../lib/adapters/aws/deadLetterMessage.ts";
import { setNotifier } from "../../lib/adapters/mqtt/getNotifier.ts";
import { loadNewsFixtures } from "../../test/fixtures/news/index.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../../test/helpers/localSqsS3.ts";
import { serveHttpLambda, type HttpLambdaServer } from "../../test/helpers/serveHttpLambda.ts";
import { waitFor } from "../../test/helpers/waitFor.ts";
import { identities, startBroker } from "../../test/notify/helpers.ts";

const articles: NewsArticle[] = loadNewsFixtures().map(({ name: _name, ...article }) => article);

let cloud: LocalSqsS3;
let search: Awaited<ReturnType<typeof startSearchServer>>;
let broker: MqttBroker;
let inference: HttpLambdaServer;
let esm: EventSourceMapping;
let queueUrl: string;
let dlqUrl: string;
let dataDir: string;
const topics: string[] = [];
let subscriber: mqtt.MqttClient;
let seq = 0;
let firstBtcRead: Promise<number> | undefined;
let consumeNews: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let queueArn: string;

async function btcHourlyCount(): Promise<number> {
  const r = await fetch(`${search.url}/cryptoviz-sentiment-*/_search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ size: 10, query: { bool: { filter: [{ term: { tag: "BTC" } }, { term: { timeframe: "1h" } }] } } }),
  });
  const body = (await r.json()) as { hits?: { hits?: Array<{ _source: { count: number } }> } };
  return (body.hits?.hits ?? []).reduce((n, h) => n + h._source.count, 0);
}

async function send(list: NewsArticle[]): Promise<void> {
  for (let i = 0; i < list.length; i += 10) {
    await cloud.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: list.slice(i, i + 10).map((payload, j) => ({
          Id: `m${i + j}`,
          MessageBody: JSON.stringify({
            schema: "news.article/v1",
            id: `test-${seq++}`,
            source: payload.source,
            producedAt: new Date().toISOString(),
            correlationId: `corr-${seq}`,
            payload,
          }),
        })),
      }),
    );
  }
}

async function dlqDepth(): Promise<number> {
  const r = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
  return Number(r.Attributes?.ApproximateNumberOfMessages ?? 0);
}

async function storedNews(): Promise<Array<Record<string, any>>> {
  const r = await fetch(`${search.url}/cryptoviz-news-*/_search?size=100`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  const body = (await r.json()) as { hits?: { hits?: Array<{ _source: Record<string, any> }> } };
  return (body.hits?.hits ?? []).map((h) => h._source);
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "consume-news-"));
  [cloud, search, broker] = await Promise.all([startLocalSqsS3(), startSearchServer({ port: 0, dataDir }), startBroker()]);
  const created = await createQueues(cloud, queueWithDlq("news", { visibilityTimeout: 2, maxReceiveCount: 3 }));
  queueUrl = created.queues.get("news")!.url;
  dlqUrl = created.queues.get("newsDlq")!.url;
  Object.assign(process.env, {
    CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    NEWS_DLQ: "news-dlq",
    SEARCH_URL: search.url,
    SEARCH_AUTH: "none",
    NOTIFY_TRANSPORT: "local",
    NOTIFY_MQTT_URL: `mqtt://127.0.0.1:${broker.tcpPort}`,
    NOTIFY_MQTT_USERNAME: identities.publisher.username,
    NOTIFY_MQTT_PASSWORD: identities.publisher.password,
    INFERENCE_TOKEN: "test-inference-token",
    INFERENCE_TIMEOUT_MS: "5000",
    NLP_MODE: "remote",
  });
  // The inference functions, as API Gateway would call them.
  const [sentiment, summary, keywords] = await Promise.all([
    import("../infer-sentiment/handler.ts"),
    import("../infer-summary/handler.ts"),
    import("../infer-keywords/handler.ts"),
  ]);
  inference = await serveHttpLambda({
    "POST /infer/sentiment": sentiment.handler,
    "POST /infer/summarization": summary.handler,
    "POST /infer/keywords": keywords.handler,
  });
  process.env.INFERENCE_BASE_URL = `${inference.url}/infer`;
  const { handler } = await import("./handler.ts");
  consumeNews = handler as typeof consumeNews;
  queueArn = created.queues.get("news")!.arn;
  esm = mapQueueToHandler(cloud.sqs, created.queues.get("news")!, "consume-news", handler);
  subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.tcpPort}`, { ...identities.dashboard, protocolVersion: 4, reconnectPeriod: 0 });
  await subscriber.subscribeAsync("cryptoviz/sentiment/#", { qos: 1 });
  subscriber.on("message", (topic) => {
    topics.push(topic);
    // What a dashboard does on this notification: read the aggregates straight away.
    if (topic === "cryptoviz/sentiment/BTC/notify/data") firstBtcRead ??= btcHourlyCount();
  });
  esm.start();
});

after(async () => {
  await esm?.stop();
  await subscriber?.endAsync();
  await setNotifier(undefined);
  await inference?.close();
  await Promise.all([cloud?.close(), search?.close(), broker?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("consume-news through the queue, the inference functions, the store and the broker", () => {
  it("stores every article enriched (sentiment, summary, keywords, coin tags) and notifies each coin's sentiment topics", async () => {
    await send(articles);
    await waitFor(`${articles.length} articles stored`, async () => (await storedNews()).length === articles.length, 60_000, 250);
    const stored = await storedNews();
    for (const a of articles) {
      const doc = stored.find((d) => d.url === a.url);
      assert.ok(doc, a.url);
      const { positive, negative, neutral } = doc.sentiment.scores;
      assert.ok(Math.abs(positive + negative + neutral - 1) < 1e-4, `${a.url}: scores sum to 1`);
      assert.ok(["positive", "negative", "neutral"].includes(doc.sentiment.label));
      assert.ok(Math.abs(doc.sentiment.score - (positive - negative)) < 1e-6);
      assert.ok(doc.keywords.length > 0, `${a.url}: keywords`);
      if ((a.content ?? "").length > 1000) {
        assert.ok(doc.summary.length > 0 && doc.summary.length < a.content!.length / 2, `${a.url}: a summary shorter than the article`);
      }
      for (const coin of doc.coins) assert.match(coin, /^[A-Z0-9]+$/);
    }
    const hack = stored.find((d) => /exploit|hack/i.test(d.title))!;
    assert.equal(hack.sentiment.label, "negative", "an exchange exploit reads negative");
    const allCoins = new Set(stored.flatMap((d) => d.coins as string[]));
    assert.ok(allCoins.has("BTC"), "bitcoin is tagged somewhere in the fixtures");
    await waitFor("sentiment notifications for BTC", () => topics.includes("cryptoviz/sentiment/BTC/notify/data"), 10_000);
    // A reader told by the notification fetched at once and found the aggregates (no refresh-interval race).
    assert.ok((await firstBtcRead)! >= 1, "the aggregates were searchable when the notification arrived");
    assert.ok(topics.includes("cryptoviz/sentiment/BTC/notify/refresh"));
    // The batch may have been split over two invocations: their notifications arrive in their own time.
    await waitFor("sentiment notifications for every tagged coin", () => [...allCoins].every((coin) => topics.includes(`cryptoviz/sentiment/${coin}/notify/data`)), 10_000);
  });

  it("an article whose enrichment fails returns alone, and reaches the DLQ after maxReceiveCount; the rest are stored", async () => {
    const before = (await storedNews()).length;
    const good = [0, 1].map((i) => ({ title: `Bitcoin miners expand capacity, part ${i}`, url: `https://news.example/miners-${i}`, source: "test" }));
    const bad = { title: "FAIL-ENRICHMENT Ether staking report", url: "https://news.example/bad", source: "test" };
    inference.fault = { status: 500, when: (body) => body.includes("FAIL-ENRICHMENT") };
    try {
      await send([good[0]!, bad, good[1]!]);
      await waitFor("the two good articles stored", async () => (await storedNews()).length === before + 2, 30_000, 250);
      await waitFor("the failing article in the DLQ", async () => (await dlqDepth()) === 1, 30_000, 250);
      assert.ok(!(await storedNews()).some((d) => d.url === bad.url), "nothing written for the failed article");
    } finally {
      inference.fault = undefined;
    }
  });

  it("an inference outage returns the batch to the queue with nothing written; it is stored once the endpoint is back", async () => {
    const before = (await storedNews()).length;
    const returnedBefore = esm.stats.recordsReturned;
    inference.fault = { status: 503 };
    const list = [0, 1, 2].map((i) => ({ title: `Solana outage report ${i}`, url: `https://news.example/outage-${i}`, source: "test", content: "Solana validators restarted the network after a halt." }));
    await send(list);
    await waitFor("the batch returned to the queue", () => esm.stats.recordsReturned >= returnedBefore + 3, 20_000, 100);
    assert.equal((await storedNews()).length, before, "nothing half-written during the outage");
    inference.fault = undefined;
    await waitFor("the articles stored after the outage", async () => (await storedNews()).length === before + 3, 30_000, 250);
  });

  it("an answer that can never succeed (an unknown label, a request refused with 400) sends the article to the DLQ at once, with the reason", async () => {
    const before = (await storedNews()).length;
    // Title only: one text to classify, answered with one list.
    const unknownLabel = { title: "POISON-LABEL Bitcoin miners sell reserves", url: "https://news.example/poison-label", source: "test" };
    const refused = { title: "POISON-400 Ether staking deposits climb", url: "https://news.example/poison-400", source: "test", content: "Deposits rose for a fifth week as yields held steady." };
    const good = { title: "Solana validators ship a client upgrade", url: "https://news.example/poison-neighbour", source: "test" };
    // The sentiment endpoint answers 200 with a label no mapping knows.
    inference.fault = { status: 200, body: [[{ label: "LABEL_9", score: 1 }]], when: (body, path) => path === "/infer/sentiment" && body.includes("POISON-LABEL") };
    try {
      await send([unknownLabel, good]);
      // The reason attribute is the consumer's: SQS's redrive after maxReceiveCount carries none.
      assert.match(await waitForDeadLetter(unknownLabel.url), /^enrichment failed: sentiment failed: the endpoint answered an unknown label "LABEL_9"/);
      // The summariser refuses the request (as a Hugging Face endpoint does for a bad input).
      inference.fault = { status: 400, body: { error: "Input validation error: inputs too long", error_type: "validation" }, when: (body, path) => path === "/infer/summarization" && body.includes("Deposits rose") };
      await send([refused]);
      assert.match(await waitForDeadLetter(refused.url), /^enrichment failed: summarization failed: the endpoint refused the request \(HTTP 400: .*Input validation error/);
      await waitFor("the neighbour stored", async () => (await storedNews()).some((d) => d.url === good.url), 30_000, 250);
      const stored = await storedNews();
      assert.equal(stored.length, before + 1);
      assert.ok(!stored.some((d) => d.url === unknownLabel.url || d.url === refused.url), "nothing written for a poisoned article");
    } finally {
      inference.fault = undefined;
    }
  });

  it("with too little time left before the Lambda timeout, no article starts: all return to the queue, nothing is called or written", async () => {
    const before = (await storedNews()).length;
    const requests = inference.requests.length;
    const list = [0, 1, 2].map((i) => ({ title: `Deadline report ${i}`, url: `https://news.example/deadline-none-${i}`, source: "test", content: "Bitcoin rose 2% on Monday as funds bought." }));
    const answer = await consumeNews(eventOf(list), contextWithRemaining(() => 3_000));
    assert.deepEqual(answer.batchItemFailures.map((f) => f.itemIdentifier).sort(), list.map((_, i) => `deadline-${i}`));
    assert.equal(inference.requests.length, requests, "no inference call started");
    assert.equal((await storedNews()).length, before);
  });

  it("with a slow endpoint, articles that the remaining time cannot cover are not started and return to the queue; the started ones are stored", async () => {
    const before = (await storedNews()).length;
    // One article needs the call timeout (INFERENCE_TIMEOUT_MS = 5 s) and the write reserve.
    const budget = 5_000 + WRITE_RESERVE_MS;
    const list = [0, 1, 2, 3, 4, 5].map((i) => ({ title: `Slow endpoint report ${i}`, url: `https://news.example/deadline-slow-${i}`, source: "test", content: "Ether fell 3% on Tuesday as traders sold." }));
    inference.delayMs = 1_000;
    try {
      // Time for the first four (enriched at once) to start, not for two more after them.
      const deadline = Date.now() + budget + 400;
      const answer = await consumeNews(eventOf(list), contextWithRemaining(() => deadline - Date.now()));
      assert.deepEqual(answer.batchItemFailures.map((f) => f.itemIdentifier).sort(), ["deadline-4", "deadline-5"]);
    } finally {
      inference.delayMs = undefined;
    }
    const stored = await storedNews();
    assert.equal(stored.length, before + 4);
    for (const i of [0, 1, 2, 3]) assert.ok(stored.some((d) => d.url === list[i]!.url), `article ${i} stored`);
  });
});

/** The failure reason on the DLQ message of the article at `url`. */
async function waitForDeadLetter(url: string): Promise<string> {
  let found: Message | undefined;
  await waitFor(`${url} in the DLQ`, async () => {
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], VisibilityTimeout: 0 }));
    found = (r.Messages ?? []).find((m) => m.Body?.includes(url));
    return found !== undefined;
  }, 30_000, 250);
  return found!.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? "";
}

/** An SQS event of these articles, as the event source mapping would deliver it (ids `deadline-<i>`). */
function eventOf(list: NewsArticle[]): SQSEvent {
  const Records: SQSRecord[] = list.map((payload, i) => ({
    messageId: `deadline-${i}`,
    receiptHandle: `receipt-${i}`,
    body: JSON.stringify({ schema: "news.article/v1", id: `direct-${seq++}`, source: payload.source, producedAt: new Date().toISOString(), correlationId: `corr-${seq}`, payload }),
    attributes: { ApproximateReceiveCount: "1", SentTimestamp: String(Date.now()), SenderId: "test", ApproximateFirstReceiveTimestamp: String(Date.now()) },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: "us-east-1",
  }));
  return { Records };
}

const contextWithRemaining = (remaining: () => number): Context => ({ ...lambdaContext("consume-news"), getRemainingTimeInMillis: remaining });

