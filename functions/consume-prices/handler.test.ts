// consume-prices as Lambda runs it: module-scope clients from the environment,
// the sample batches (market.batch v1 and v2) stored in the local search
// endpoint, the price feed notified on the MQTT broker, and a record that is
// not an envelope dead-lettered with its reason while the others are stored.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { startSearchServer } from "@cryptoviz/local-search";
import { priceFeedFilter } from "../../contracts/topics.ts";
import { DEAD_LETTER_ATTRIBUTES } from "../../lib/adapters/aws/deadLetterMessage.ts";
import { setNotifier } from "../../lib/adapters/mqtt/getNotifier.ts";
import { subscribeNotifications, type NotificationSubscription } from "../../lib/notify/subscribe.ts";
import type { MqttBroker } from "../../localcloud/mqtt/broker.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../../test/helpers/localSqsS3.ts";
import { freshMarketEvent, sampleTradeIds } from "../../test/helpers/sampleMarketEvent.ts";
import { identities, startBroker } from "../../test/notify/helpers.ts";

let cloud: LocalSqsS3;
let search: Awaited<ReturnType<typeof startSearchServer>>;
let broker: MqttBroker;
let feed: NotificationSubscription;
let dlqUrl: string;
let dataDir: string;
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

async function storedTrades(ids: string[]): Promise<number> {
  const r = await fetch(`${search.url}/cryptoviz-trades-*/_count`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: { terms: { tradeId: ids } } }),
  });
  return ((await r.json()) as { count: number }).count;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "consume-prices-"));
  [cloud, search, broker] = await Promise.all([startLocalSqsS3(), startSearchServer({ port: 0, dataDir }), startBroker()]);
  const created = await createQueues(cloud, queueWithDlq("prices", { visibilityTimeout: 30, maxReceiveCount: 3 }));
  dlqUrl = created.queues.get("pricesDlq")!.url;
  Object.assign(process.env, {
    CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
    AWS_REGION: "us-east-1",
    PRICE_DLQ: "prices-dlq",
    SEARCH_URL: search.url,
    SEARCH_AUTH: "none",
    NOTIFY_TRANSPORT: "local",
    NOTIFY_MQTT_URL: `mqtt://127.0.0.1:${broker.tcpPort}`,
    NOTIFY_MQTT_USERNAME: identities.publisher.username,
    NOTIFY_MQTT_PASSWORD: identities.publisher.password,
    CRYPTOVIZ_LOG_LEVEL: "SILENT",
  });
  feed = await subscribeNotifications({ url: `mqtt://127.0.0.1:${broker.tcpPort}`, ...identities.dashboard, topics: priceFeedFilter() });
  ({ handler } = (await import("./handler.ts")) as unknown as { handler: typeof handler });
});

after(async () => {
  await feed?.close();
  await setNotifier(undefined);
  await Promise.all([cloud?.close(), search?.close(), broker?.close()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("consume-prices handler", () => {
  it("stores every trade of the sample batches, reports no failed record and notifies the price feed", async () => {
    const event = freshMarketEvent();
    assert.deepEqual(await handler(event, lambdaContext("consume-prices")), { batchItemFailures: [] });
    const ids = sampleTradeIds(event);
    assert.equal(await storedTrades(ids), ids.length);
    const note = await feed.waitFor((n) => n.topic.endsWith("/notify/data"), 5000);
    assert.match(note.topic, /^cryptoviz\/price-feed\/[A-Z0-9]+\/notify\/data$/);
  });

  it("a record that is not an envelope goes to the DLQ with its reason; the batch's other records are stored", async () => {
    const event = freshMarketEvent();
    event.Records.push({ ...event.Records[0]!, messageId: "poison-1", body: "not json" });
    assert.deepEqual(await handler(event, lambdaContext("consume-prices")), { batchItemFailures: [] });
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ["All"] }));
    assert.equal(Messages.length, 1);
    assert.equal(Messages[0]!.Body, "not json");
    assert.match(Messages[0]!.MessageAttributes?.[DEAD_LETTER_ATTRIBUTES.reason]?.StringValue ?? "", /^body: not JSON/);
    const ids = sampleTradeIds(event.Records.slice(0, -1).length ? { Records: event.Records.slice(0, -1) } : event);
    assert.equal(await storedTrades(ids), ids.length);
  });
});
