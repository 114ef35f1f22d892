// POST /ingest/{kind}: the real handler against the real local SQS/S3
// emulator. Refused requests must leave the archive bucket and both queues
// exactly as they were; accepted ones are cleared after the check.
import { CreateBucketCommand, DeleteObjectsCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand, PurgeQueueCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import fc from "fast-check";
import { lambdaContext } from "../../helpers/lambdaContext.ts";
import { createQueues, queueWithDlq, startLocalSqsS3 } from "../../helpers/localSqsS3.ts";
import { deeplyNested, hostileJson, hostileText, instantLike, malformedJson, plausibleText, urlLike } from "../arbitraries.ts";
import type { Boundary } from "../harness.ts";
import { assertAnswered, httpEvent } from "../httpEvent.ts";

const TOKEN = "fuzz-ingest-token";
const BUCKET = "fuzz-raw";

interface WebhookInput {
  kind: string;
  authorization: string | undefined;
  correlationId: string | undefined;
  body: string;
  base64: boolean;
}

/** A request the webhook should accept, which the mutations below then break in one place (or not). */
function validRequest(astral: boolean): fc.Arbitrary<{ kind: string; body: Record<string, unknown> }> {
  const words = fc.array(fc.constantFrom("Bitcoin", "ETF", "inflows", "rise", "Ether", "gas", "fees", "fall", "whales", "SEC", "approves", ...(astral ? ["🚀", "📉"] : [])), { minLength: 1, maxLength: 10 }).map((w) => w.join(" "));
  const article = fc.record(
    {
      title: words,
      link: fc.webSegment().map((slug) => `https://u.today/${slug || "home"}`),
      publishedAt: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }).map((ms) => new Date(ms).toISOString()),
      authorName: words,
      content: fc.array(words, { maxLength: 6 }).map((p) => p.join(". ")),
      tags: fc.array(fc.constantFrom("BTC", "ETH", "regulation", "DeFi"), { maxLength: 3 }),
    },
    { requiredKeys: ["title", "link"] },
  );
  const trade = fc.record({
    exchange: fc.constantFrom("binance", "kucoin", "bitmex"),
    symbol: fc.constantFrom("BTCUSDT", "ETH-USDT", "XBTUSD"),
    base: fc.constantFrom("BTC", "ETH"),
    quote: fc.constantFrom("USDT", "USD"),
    price: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
    size: fc.double({ min: 0, max: 100, noNaN: true }),
    side: fc.constantFrom("buy", "sell"),
    tradeId: fc.uuid(),
    ts: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
    receivedAt: fc.integer({ min: 1_700_000_000_000, max: 1_900_000_000_000 }),
  });
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("news"), body: fc.record({ source: fc.constantFrom("u.today", "coindesk"), items: fc.array(article, { minLength: 1, maxLength: 15 }) }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("prices"), body: fc.record({ source: fc.constantFrom("binance", "kucoin"), trades: fc.array(trade, { minLength: 1, maxLength: 8 }) }) }) },
  );
}

/** One thing broken: a field of one item or of the body replaced by something hostile, a key added, or nothing. */
function mutation(astral: boolean): fc.Arbitrary<{ item: number; field: string; value: unknown } | undefined> {
  const value = fc.oneof(
    { weight: 3, arbitrary: hostileText({ astral, maxLength: 60 }) },
    { weight: 1, arbitrary: plausibleText({ astral }) },
    { weight: 1, arbitrary: urlLike },
    { weight: 1, arbitrary: instantLike },
    { weight: 1, arbitrary: hostileJson({ astral, maxDepth: 3 }) },
  );
  const field = fc.constantFrom("title", "link", "url", "publishedAt", "authorName", "author", "authorLink", "content", "tags", "price", "side", "symbol", "ts", "source", "items", "trades", "extra", "🔑");
  return fc.option(fc.record({ item: fc.integer({ min: -1, max: 3 }), field, value }), { freq: 2 });
}

function apply(body: Record<string, unknown>, change: { item: number; field: string; value: unknown } | undefined): unknown {
  if (!change) return body;
  const list = (body.items ?? body.trades) as Array<Record<string, unknown>>;
  // item -1 (or past the end): the body itself.
  const target = change.item >= 0 && change.item < list.length ? list[change.item]! : body;
  target[change.field] = change.value;
  return body;
}

function arbitrary(astral: boolean): fc.Arbitrary<WebhookInput> {
  const odd = hostileText({ astral, maxLength: 30 });
  const mostly = <T>(usual: fc.Arbitrary<T>, unusual: fc.Arbitrary<T>) => fc.oneof({ weight: 9, arbitrary: usual }, { weight: 1, arbitrary: unusual });
  const body = fc.oneof(
    { weight: 12, arbitrary: fc.tuple(validRequest(astral), mutation(astral)).map(([request, change]) => ({ kind: request.kind, body: JSON.stringify(apply(request.body, change)) })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("news", "prices"), body: hostileJson({ astral }).map((v) => JSON.stringify(v) ?? "null") }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("news", "prices"), body: malformedJson }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("news"), body: deeplyNested.map((d) => `{"source":"u.today","items":[${d}]}`) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("news"), body: fc.integer({ min: 300_000, max: 400_000 }).map((n) => JSON.stringify({ source: "u.today", items: [{ title: "x".repeat(n), link: "https://u.today/big" }] })) }) },
  );
  return fc.record({
    request: body,
    kind: mostly(fc.constant(undefined), odd),
    authorization: mostly(
      fc.constantFrom(`Bearer ${TOKEN}`, `Basic ${Buffer.from(`crawler:${TOKEN}`).toString("base64")}`, `  bearer   ${TOKEN} `),
      fc.oneof(fc.constantFrom(`Bearer ${TOKEN} extra`, "Bearer", "Bearer wrong", "Basic !!!", undefined), odd),
    ),
    correlationId: mostly(fc.option(fc.stringMatching(/^[\x21-\x7E]{1,128}$/), { nil: undefined }), hostileText({ astral, maxLength: 200 })),
    base64: fc.boolean(),
  })
    .map(({ request, kind, ...rest }) => ({ ...rest, kind: kind ?? request.kind, body: request.body }))
    // Whatever generator it came from, no character above U+FFFF reaches an emulator that refuses them.
    .filter((input) => astral || !/[\u{10000}-\u{10FFFF}]/u.test(input.body));
}

export const webhookBoundary: Boundary<WebhookInput> = {
  name: "webhook (POST /ingest/{kind})",
  async start() {
    const cloud = await startLocalSqsS3();
    const created = await createQueues(cloud, [
      ...queueWithDlq("fuzz-news", { visibilityTimeout: 30, maxReceiveCount: 3 }),
      ...queueWithDlq("fuzz-prices", { visibilityTimeout: 30, maxReceiveCount: 3 }),
    ]);
    const queueUrls = ["fuzz-news", "fuzz-prices"].map((name) => created.queues.get(name)!.url);
    await cloud.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    Object.assign(process.env, {
      CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url, RAW_BUCKET: BUCKET, NEWS_QUEUE: "fuzz-news", PRICE_QUEUE: "fuzz-prices",
      INGEST_TOKEN: TOKEN, INGEST_MAX_BODY_BYTES: "262144",
    });
    const { handler } = (await import("../../../functions/ingest/handler.ts")) as unknown as {
      handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
    };

    const objects = async () => (await cloud.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents?.map((o) => o.Key!) ?? [];
    const messages = async () => {
      let n = 0;
      for (const QueueUrl of queueUrls) {
        const { Attributes = {} } = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
        n += Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      }
      return n;
    };
    const clear = async () => {
      const keys = await objects();
      if (keys.length > 0) await cloud.s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
      for (const QueueUrl of queueUrls) await cloud.sqs.send(new PurgeQueueCommand({ QueueUrl }));
    };

    // A run that broke a promise may leave messages or objects behind; the next starts clean,
    // so that a shrunk counterexample is judged on its own effects.
    let clean = true;
    return {
      arbitrary: arbitrary(true),
      async check(input) {
        if (!clean) await clear();
        clean = false;
        const event = httpEvent({
          method: "POST", path: `/ingest/${input.kind}`, routeKey: "POST /ingest/{kind}", pathParameters: { kind: input.kind },
          headers: { "content-type": "application/json", authorization: input.authorization, "x-correlation-id": input.correlationId },
          body: input.body, base64: input.base64,
        });
        const response = await handler(event, lambdaContext("ingest"));
        const verdict = assertAnswered(response, "webhook");
        if (verdict === "refused") {
          const [left, queued] = await Promise.all([objects(), messages()]);
          if (left.length > 0 || queued > 0) throw new Error(`refused with ${response.statusCode}, yet ${left.length} object(s) archived and ${queued} message(s) enqueued: ${response.body}`);
          clean = true;
          return verdict;
        }
        const answer = JSON.parse(String(response.body)) as { ids: string[]; messages: number };
        if (answer.ids.length !== answer.messages || (await messages()) !== answer.messages) throw new Error(`accepted, but the queues do not hold the ${answer.messages} message(s) announced`);
        await clear();
        clean = true;
        return verdict;
      },
      stop: () => cloud.close(),
    };
  },
};
