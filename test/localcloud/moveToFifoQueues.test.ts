// A local cloud kept from before price-tasks became FIFO: what the old standard queue
// held is moved into the FIFO queue at the next start, grouped by symbol, none lost.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CreateQueueCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { marketEnvelopes } from "../../lib/market/collect/marketEnvelopes.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";

let cloud: LocalSqsS3;
before(async () => {
  cloud = await startLocalSqsS3();
});
after(() => cloud.close());

describe("moving a standard queue's messages into its FIFO namesake", () => {
  it("moves every message, grouped as a producer groups it, and deletes the old queue; a second start has nothing to move", async () => {
    const { QueueUrl: oldUrl } = await cloud.sqs.send(new CreateQueueCommand({ QueueName: "old-prices" }));
    const at = new Date(1_765_000_000_000);
    const trade = (symbol: string, base: string, id: string) => ({ exchange: "binance", symbol, base, quote: "USDT", price: 1, size: 1, side: "buy" as const, tradeId: id, ts: 1_765_000_000_000, receivedAt: 1_765_000_000_000 });
    const bodies = [
      ...marketEnvelopes("binance", "b1", [trade("BTCUSDT", "BTC", "1")], [], at, "c"),
      ...marketEnvelopes("binance", "b2", [trade("ETHUSDT", "ETH", "2")], [], at, "c"),
    ].map((e) => JSON.stringify(e));
    bodies.push("not json");
    await cloud.sqs.send(new SendMessageBatchCommand({ QueueUrl: oldUrl, Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: b })) }));

    const specs = queueWithDlq("old-prices", { visibilityTimeout: 30, maxReceiveCount: 3, fifo: true });
    const first = await createQueues(cloud, specs);
    assert.deepEqual([...first.movedToFifo], [["old-prices", 3]], "reported (no old DLQ existed)");
    const fifoUrl = first.queues.get("old-prices")!.url;
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: fifoUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ["MessageGroupId"] }));
    assert.deepEqual((r.Messages ?? []).map((m) => m.Attributes?.MessageGroupId).sort(), ["BTCUSDT", "ETHUSDT", "moved"]);
    assert.deepEqual((r.Messages ?? []).map((m) => m.Body).sort(), [...bodies].sort());
    await assert.rejects(cloud.sqs.send(new GetQueueUrlCommand({ QueueName: "old-prices" })), "the old queue is gone");

    const second = await createQueues(cloud, specs);
    assert.equal(second.movedToFifo.size, 0);
  });

  it("leaves a standard queue alone when it is declared beside its FIFO namesake", async () => {
    const both = [...queueWithDlq("pair", { visibilityTimeout: 30, maxReceiveCount: 3 }), ...queueWithDlq("pair", { visibilityTimeout: 30, maxReceiveCount: 3, fifo: true }).map((q) => ({ ...q, logicalId: `${q.logicalId}Fifo`, redrive: q.redrive && { ...q.redrive, deadLetterLogicalId: `${q.redrive.deadLetterLogicalId}Fifo` } }))];
    const created = await createQueues(cloud, both);
    await cloud.sqs.send(new SendMessageBatchCommand({ QueueUrl: created.queues.get("pair")!.url, Entries: [{ Id: "0", MessageBody: "stays" }] }));
    const again = await createQueues(cloud, both);
    assert.equal(again.movedToFifo.size, 0);
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: created.queues.get("pair")!.url, MaxNumberOfMessages: 10 }));
    assert.deepEqual((r.Messages ?? []).map((m) => m.Body), ["stays"]);
  });
});
