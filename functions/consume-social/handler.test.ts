// consume-social end to end: the real handler behind the local event source
// mapping, the real infer-sentiment function over HTTP (NLP_MODE=remote, the
// deployed default), the local search endpoint and MQTT broker (a subscriber
// with the dashboard's identity). What is stored is checked against values
// computed here from the posts that were sent.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type Message } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { startSearchServer } from "@cryptoviz/local-search";
import type { SocialData } from "../../contracts/api.ts";
import type { SocialPost } from "../../contracts/social.ts";
import { socialFilter } from "../../contracts/topics.ts";
import { DEAD_LETTER_ATTRIBUTES } from "../../lib/adapters/aws/deadLetterMessage.ts";
import { setNotifier } from "../../lib/adapters/mqtt/getNotifier.ts";
import { subscribeNotifications, type NotificationSubscription } from "../../lib/notify/subscribe.ts";
import { socialPostDocId } from "../../lib/store/documentIds.ts";
import type { EventSourceMapping } from "../../localcloud/esm/EventSourceMapping.ts";
import { mapQueueToHandler } from "../../test/helpers/mapQueueToHandler.ts";
import type { MqttBroker } from "../../localcloud/mqtt/broker.ts";
import { makePost, seededPosts, socialEnvelope } from "../../test/fixtures/social/socialPosts.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../../test/helpers/localSqsS3.ts";
import { serveHttpLambda, type HttpLambdaServer } from "../../test/helpers/serveHttpLambda.ts";
import { waitFor } from "../../test/helpers/waitFor.ts";
import { identities, startBroker } from "../../test/notify/helpers.ts";

const MIN = 60_000;
let cloud: LocalSqsS3;
let search: Awaited<ReturnType<typeof startSearchServer>>;
let broker: MqttBroker;
let inference: HttpLambdaServer;
let esm: EventSourceMapping;
let feed: NotificationSubscription;
let queueUrl: string;
let dlqUrl: string;
let dataDir: string;
let seq = 0;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
// Recent minutes: the posts must be inside the social retention.
const T0 = Math.floor((Date.now() - 30 * MIN) / MIN) * MIN;

async function send(bodies: unknown[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await cloud.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: `m${i + j}`, MessageBody: typeof b === "string" ? b : JSON.stringify(b) })),
      }),
    );
  }
}
const batchesOf = (posts: SocialPost[], size: number) => Array.from({ length: Math.ceil(posts.length / size) }, (_, i) => socialEnvelope(posts.slice(i * size, (i + 1) * size), seq++));

async function search_<T>(pattern: string, query: unknown = { match_all: {} }): Promise<Array<{ _id: string; _source: T }>> {
  const r = await fetch(`${search.url}/${pattern}/_search`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ size: 10_000, query }) });
  return ((await r.json()) as { hits?: { hits?: Array<{ _id: string; _source: T }> } }).hits?.hits ?? [];
}
const storedPosts = () => search_<{ coins: string[] }>("cryptoviz-social-posts-*");
const storedMinutes = () => search_<{ coin: string; bucketStart: number; posts: number; authors: number }>("cryptoviz-social-activity-*");

/** Posts and distinct authors per "COIN|minute", from the posts themselves. */
function expected(posts: readonly SocialPost[]): Map<string, { posts: number; authors: number }> {
  const acc = new Map<string, { ids: Set<string>; authors: Set<string> }>();
  for (const p of posts) {
    for (const coin of p.coins) {
      const key = `${coin}|${Math.floor(Date.parse(p.createdAt) / MIN) * MIN}`;
      const e = acc.get(key) ?? { ids: new Set(), authors: new Set() };
      e.ids.add(p.id);
      e.authors.add(p.authorId);
      acc.set(key, e);
    }
  }
  return new Map([...acc].map(([k, e]) => [k, { posts: e.ids.size, authors: e.authors.size }]));
}

async function dlqMessages(): Promise<Message[]> {
  const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"], VisibilityTimeout: 0 }));
  return r.Messages ?? [];
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "consume-social-"));
  [cloud, search, broker] = await Promise.all([startLocalSqsS3(), startSearchServer({ port: 0, dataDir }), startBroker()]);
  const created = await createQueues(cloud, queueWithDlq("social", { visibilityTimeout: 2, maxReceiveCount: 3 }));
  queueUrl = created.queues.get("social")!.url;
  dlqUrl = created.queues.get("socialDlq")!.url;
  Object.assign(process.env, {
    CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_REGION: "us-east-1",
    SOCIAL_DLQ: "social-dlq",
    SEARCH_URL: search.url,
    SEARCH_AUTH: "none",
    NOTIFY_TRANSPORT: "local",
    NOTIFY_MQTT_URL: `mqtt://127.0.0.1:${broker.tcpPort}`,
    NOTIFY_MQTT_USERNAME: identities.publisher.username,
    NOTIFY_MQTT_PASSWORD: identities.publisher.password,
    INFERENCE_TOKEN: "test-inference-token",
    INFERENCE_TIMEOUT_MS: "5000",
    NLP_MODE: "remote",
    CRYPTOVIZ_LOG_LEVEL: "SILENT",
  });
  const sentiment = await import("../infer-sentiment/handler.ts");
  inference = await serveHttpLambda({ "POST /infer/sentiment": sentiment.handler });
  process.env.INFERENCE_BASE_URL = `${inference.url}/infer`;
  ({ handler } = (await import("./handler.ts")) as unknown as { handler: typeof handler });
  esm = mapQueueToHandler(cloud.sqs, created.queues.get("social")!, "consume-social", handler);
  // The dashboard's identity: may subscribe to the social topics, as to price-feed and sentiment.
  feed = await subscribeNotifications({ url: `mqtt://127.0.0.1:${broker.tcpPort}`, ...identities.dashboard, topics: socialFilter() });
  esm.start();
});

after(async () => {
  await esm?.stop();
  await feed?.close();
  await setNotifier(undefined);
  await inference?.close();
  await Promise.all([cloud?.close(), search?.close(), broker?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("consume-social through the queue, infer-sentiment, the store and the broker", () => {
  const posts = seededPosts(300, T0, T0 + 10 * MIN, 11);

  it("stores every post once with its sentiment, the activity of each (coin, minute), and notifies each coin's social topics", async () => {
    await send(batchesOf(posts, 25));
    await waitFor("300 posts stored", async () => (await storedPosts()).length === posts.length, 60_000, 250);
    const want = expected(posts);
    await waitFor("every minute's activity", async () => {
      const minutes = await storedMinutes();
      return minutes.length === want.size && minutes.every((m) => want.get(m._id)?.posts === m._source.posts);
    }, 20_000, 250);
    for (const m of await storedMinutes()) assert.equal(m._source.authors, want.get(m._id)!.authors, `${m._id} distinct authors`);
    const ids = new Set((await storedPosts()).map((p) => p._id));
    for (const p of posts) assert.ok(ids.has(socialPostDocId(p.source, p.id)), p.id);
    for (const coin of ["BTC", "ETH", "SOL"]) {
      const note = await feed.waitFor((n) => n.topic === `cryptoviz/social/${coin}/notify/data`, 10_000);
      const data = note.payload as SocialData;
      assert.equal(data.coin, coin);
      assert.ok(data.posts.every((p) => p.coins.includes(coin) && ["positive", "negative", "neutral"].includes(p.sentiment.label)));
      await feed.waitFor((n) => n.topic === `cryptoviz/social/${coin}/notify/refresh`, 10_000);
    }
    assert.equal(esm.stats.recordsReturned, 0, "no record returned to the queue");
  });

  it("the same batches delivered again (a resumed window's overlap) store nothing twice and count nothing twice", async () => {
    const before = (await storedMinutes()).map((m) => [m._id, m._source.posts]).sort();
    const calls = inference.requests.length;
    await send(batchesOf(posts.slice(0, 100), 50));
    await waitFor("both messages consumed", async () => {
      const r = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
      return Number(r.Attributes?.ApproximateNumberOfMessages) + Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible) === 0;
    }, 20_000, 100);
    assert.equal(inference.requests.length, calls, "posts stored already are not classified again");
    assert.equal((await storedPosts()).length, posts.length);
    assert.deepEqual((await storedMinutes()).map((m) => [m._id, m._source.posts]).sort(), before);
  });

  it("an invalid batch goes to the DLQ with the field at fault; a post past the retention too; their neighbours are stored", async () => {
    const count = (await storedPosts()).length;
    const good = makePost({ coin: "ETH", createdAtMs: T0 + 20 * MIN, author: "neighbour", n: 900 });
    const { text: _text, ...noText } = makePost({ createdAtMs: T0, author: "broken", n: 901 });
    const ancient = makePost({ createdAtMs: Date.now() - 60 * 24 * 3_600_000, author: "ancient", n: 902 });
    await send([socialEnvelope([noText as SocialPost], seq++), socialEnvelope([ancient], seq++), socialEnvelope([good], seq++)]);
    let reasons: string[] = [];
    await waitFor("two messages dead-lettered", async () => {
      reasons = (await dlqMessages()).map((m) => m.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? "");
      return reasons.length === 2;
    }, 20_000, 250);
    assert.ok(reasons.some((r) => /^payload\.posts\[0\]\.text: /.test(r)), reasons.join(" | "));
    assert.ok(reasons.some((r) => /posts\[0\]\.createdAt: .* older than the social retention/.test(r)), reasons.join(" | "));
    await waitFor("the neighbour stored", async () => (await storedPosts()).length === count + 1, 20_000, 250);
  });

  it("takes its sample event (dates made current) with no failed record", async () => {
    const event = JSON.parse(readFileSync("functions/consume-social/event.json", "utf8")) as SQSEvent;
    for (const record of event.Records) {
      const body = JSON.parse(record.body) as { payload: { posts: SocialPost[] } };
      for (const p of body.payload.posts) {
        const shift = Date.now() - Date.parse("2026-11-22T09:13:00Z");
        p.createdAt = new Date(Date.parse(p.createdAt) + shift).toISOString();
        p.receivedAt = new Date(Date.parse(p.receivedAt) + shift).toISOString();
      }
      record.body = JSON.stringify(body);
    }
    assert.deepEqual(await handler(event, lambdaContext("consume-social")), { batchItemFailures: [] });
  });
});
