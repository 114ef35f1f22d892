import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { readFileSync } from "node:fs";
import { parseWireEnvelope } from "../../lib/queue/envelope.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../../test/helpers/localSqsS3.ts";

let cloud: LocalSqsS3;
let handler: (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
let newsUrl: string;
const bucket = "ingest-test-raw";
const sample = JSON.parse(readFileSync("functions/ingest/event.json", "utf8")) as APIGatewayProxyEventV2;

before(async () => {
  cloud = await startLocalSqsS3();
  const created = await createQueues(cloud, [
    ...queueWithDlq("ingestnews", { visibilityTimeout: 30, maxReceiveCount: 3 }),
    ...queueWithDlq("ingestprices", { visibilityTimeout: 30, maxReceiveCount: 3 }),
  ]);
  newsUrl = created.queues.get("ingestnews")!.url;
  await cloud.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  Object.assign(process.env, {
    CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
    RAW_BUCKET: bucket,
    NEWS_QUEUE: "ingestnews",
    PRICE_QUEUE: "ingestprices",
    INGEST_TOKEN: "local-ingest-token",
    INGEST_MAX_BODY_BYTES: "65536",
  });
  ({ handler } = (await import("./handler.ts")) as unknown as { handler: typeof handler });
});
after(() => cloud.close());

const call = (event: APIGatewayProxyEventV2) => handler(event, lambdaContext("ingest"));
const withBody = (body: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 => ({
  ...sample,
  headers: { ...sample.headers, ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

async function receiveAll(url: string) {
  const out = [];
  for (;;) {
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
    if (!r.Messages?.length) return out;
    out.push(...r.Messages);
  }
}

async function archivedKeys() {
  const r = await cloud.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "raw/" }));
  return (r.Contents ?? []).map((o) => o.Key!);
}

describe("ingest webhook", () => {
  it("archives the batch as gzip JSON Lines and enqueues one envelope per article", async () => {
    const response = await call(sample);
    assert.equal(response.statusCode, 202, response.body);
    const result = JSON.parse(response.body!);
    assert.equal(result.messages, 1);
    assert.match(result.archiveKey, /^raw\/u\.today\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/[0-9a-f]{32}\.jsonl\.gz$/);

    const object = await cloud.s3.send(new GetObjectCommand({ Bucket: bucket, Key: result.archiveKey }));
    const lines = gunzipSync(Buffer.from(await object.Body!.transformToByteArray())).toString("utf8").trim().split("\n");
    assert.equal(lines.length, 1);
    assert.equal(JSON.parse(lines[0]!).url, JSON.parse(sample.body!).items[0].link);

    const messages = await receiveAll(newsUrl);
    assert.equal(messages.length, 1);
    const envelope = parseWireEnvelope(messages[0]!.Body!);
    assert.deepEqual(result.ids, [envelope.id], "the answer lists the ids it enqueued");
    assert.equal(envelope.schema, "news.article/v1");
    assert.equal(envelope.correlationId, "sample-req-7f3a2c", "the caller's correlation id follows the message");
    assert.equal(messages[0]!.MessageAttributes?.correlationId?.StringValue, "sample-req-7f3a2c");
  });

  it("refuses bad credentials with 401 and enqueues nothing", async () => {
    const before = (await archivedKeys()).length;
    for (const authorization of ["Bearer wrong", "", "Basic Zm9vOmJhcg==", "Bearer local-ingest-token extra"]) {
      const response = await call(withBody(JSON.parse(sample.body!), { authorization }));
      assert.equal(response.statusCode, 401);
      assert.equal(JSON.parse(response.body!).field, "Authorization", "the refusal names the header");
    }
    assert.equal((await archivedKeys()).length, before);
    assert.equal((await receiveAll(newsUrl)).length, 0);
  });

  it("answers invalid bodies with 400 naming the field, archiving and enqueueing nothing", async () => {
    const before = (await archivedKeys()).length;
    const cases: Array<[unknown, string]> = [
      ["{not json", "body"],
      [{ source: "u.today", items: [{ title: "x", link: "not a url" }] }, "items[0].url"],
      [{ source: "u.today" }, "items"],
    ];
    for (const [body, field] of cases) {
      const response = await call(withBody(body));
      assert.equal(response.statusCode, 400, response.body);
      const error = JSON.parse(response.body!);
      assert.equal(error.field, field);
      assert.ok(error.message.length > 0);
    }
    assert.equal((await archivedKeys()).length, before);
    assert.equal((await receiveAll(newsUrl)).length, 0);
  });

  it("refuses text SQS would refuse with 400 naming the item's field, before archiving or enqueueing any of the request", async () => {
    const before = (await archivedKeys()).length;
    const items = (bad: string) =>
      Array.from({ length: 15 }, (_, i) => ({ title: i === 3 ? `Headline ${bad} three` : `Headline ${i}`, link: `https://u.today/sqs-text-${i}` }));
    for (const [bad, name] of [["\uFFFF", "U+FFFF"], ["\uFFFE", "U+FFFE"], ["\uD800", "U+D800"], ["\uDFFF", "U+DFFF"]] as const) {
      const response = await call(withBody({ source: "u.today", items: items(bad) }));
      assert.equal(response.statusCode, 400, response.body);
      const error = JSON.parse(response.body!);
      assert.equal(error.field, "items[3].title");
      assert.ok(error.message.includes(name), error.message);
    }
    const authorInPrices = await call({ ...withBody({ source: "binance", trades: [{ symbol: "BTC\uFFFFUSDT" }] }), pathParameters: { kind: "prices" } });
    assert.equal(JSON.parse(authorInPrices.body!).field, "trades[0].symbol");
    assert.equal((await archivedKeys()).length, before);
    assert.equal((await receiveAll(newsUrl)).length, 0);
  });

  it("accepts emoji at the door, as real SQS does", async () => {
    const body = { source: "u.today", items: [{ title: "Bitcoin 🚀 breaks out", link: "https://u.today/rocket", content: "To the moon 🌕, say 👩‍💻 traders" }] };
    const response = await call(withBody(body));
    assert.equal(response.statusCode, 202, response.body);
    const [message] = await receiveAll(newsUrl);
    const envelope = parseWireEnvelope(message!.Body!);
    assert.equal((envelope.payload as { title: string }).title, "Bitcoin 🚀 breaks out");
  });

  it("refuses a body nested 17,000 deep with 400 naming the body and the limit, archiving and enqueueing nothing", async () => {
    const before = (await archivedKeys()).length;
    // Arrays: 17,000 levels in 34 kB, under this suite's 64 KiB body limit.
    const deep = '{"source":"u.today","items":[' + "[".repeat(17_000) + "]".repeat(17_000) + "]}";
    const response = await call(withBody(deep));
    assert.equal(response.statusCode, 400, response.body);
    const error = JSON.parse(response.body!);
    assert.equal(error.field, "body");
    assert.match(error.message, /limit of 32 levels/);
    assert.equal((await archivedKeys()).length, before);
    assert.equal((await receiveAll(newsUrl)).length, 0);
  });

  it("answers an oversized body with 413, enqueueing nothing", async () => {
    const before = (await archivedKeys()).length;
    const items = Array.from({ length: 60 }, (_, i) => ({ title: `T${i}`, url: `https://u.today/${i}`, content: "x".repeat(2000) }));
    const response = await call(withBody({ source: "u.today", items }));
    assert.equal(response.statusCode, 413);
    assert.match(JSON.parse(response.body!).message, /limit is 65536/);
    assert.equal((await archivedKeys()).length, before);
    assert.equal((await receiveAll(newsUrl)).length, 0);
  });

  it("refuses an X-Correlation-Id the envelope would refuse with 400 naming the header, enqueueing nothing", async () => {
    const before = (await archivedKeys()).length;
    for (const value of ["", "x".repeat(129), "x".repeat(200), "has space", "tab\tinside", "caf\u00e9", "line\nbreak"]) {
      const response = await call(withBody(JSON.parse(sample.body!), { "x-correlation-id": value }));
      assert.equal(response.statusCode, 400, `${JSON.stringify(value)}: ${response.body}`);
      const error = JSON.parse(response.body!);
      assert.equal(error.field, "X-Correlation-Id");
      assert.match(error.message, /1 to 128 visible ASCII characters/);
    }
    assert.equal((await archivedKeys()).length, before);
    assert.equal((await receiveAll(newsUrl)).length, 0);
  });

  it("carries the longest valid X-Correlation-Id, and the request id when there is none", async () => {
    const longest = "c".repeat(127) + "~";
    const withHeader = await call(withBody({ source: "u.today", items: [{ title: "Correlated", url: "https://u.today/correlated" }] }, { "x-correlation-id": longest }));
    assert.equal(withHeader.statusCode, 202, withHeader.body);
    const { ["x-correlation-id"]: _dropped, ...headers } = sample.headers;
    const without = await call({ ...sample, headers, body: JSON.stringify({ source: "u.today", items: [{ title: "Uncorrelated", url: "https://u.today/uncorrelated" }] }), requestContext: { ...sample.requestContext, requestId: "req-from-gateway" } });
    assert.equal(without.statusCode, 202, without.body);
    const ids = (await receiveAll(newsUrl)).map((m) => parseWireEnvelope(m.Body!).correlationId).sort();
    assert.deepEqual(ids, [longest, "req-from-gateway"].sort());
  });

  it("answers an unknown kind with 404", async () => {
    const response = await call({ ...sample, pathParameters: { kind: "tweets" } });
    assert.equal(response.statusCode, 404);
    assert.equal(JSON.parse(response.body!).field, "kind");
  });

  it("archives a retried request to the same object", async () => {
    const body = { source: "coindesk", items: [{ title: "Retry me", url: "https://www.coindesk.com/retry" }] };
    const first = JSON.parse((await call(withBody(body))).body!);
    const second = JSON.parse((await call(withBody(body))).body!);
    assert.equal(first.archiveKey, second.archiveKey);
    const messages = await receiveAll(newsUrl);
    assert.equal(new Set(messages.map((m) => parseWireEnvelope(m.Body!).id)).size, 1, "both deliveries carry the same envelope id");
  });
});
