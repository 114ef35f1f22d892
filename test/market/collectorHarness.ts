import { gunzipSync } from "node:zlib";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { S3RawArchive } from "../../lib/adapters/aws/S3RawArchive.ts";
import { readCollectorConfig, type CollectorConfig } from "../../lib/market/collect/CollectorConfig.ts";
import { PRICE_PAYLOAD_SCHEMAS } from "../../lib/market/consume/consumeMarketMessages.ts";
import { parseWireEnvelope, validatePayload } from "../../lib/queue/envelope.ts";
import { type Envelope } from "../../contracts/envelope.ts";
import { QueueProducer } from "../../lib/adapters/aws/QueueProducer.ts";
import type { MarketBatch } from "../../contracts/market.ts";
import { MARKET_COMPLETENESS_SCHEMA, type MarketCompleteness } from "../../contracts/completeness.ts";
import { createQueues, queueWithDlq, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import type { MarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";

export const BUCKET = "market-test-raw";
let queueCounter = 0;

export async function createBucket(cloud: LocalSqsS3): Promise<void> {
  await cloud.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}

/** A fresh price queue (with DLQ) per test, so counts never mix. */
export async function freshQueue(cloud: LocalSqsS3): Promise<{ name: string; url: string }> {
  const name = `prices${++queueCounter}${Math.random().toString(36).slice(2, 6)}`;
  const created = await createQueues(cloud, queueWithDlq(name, { visibilityTimeout: 60, maxReceiveCount: 3 }));
  return { name, url: created.queues.get(name)!.url };
}

export function collectorConfig(sim: Pick<MarketSimulator, "urls">, queue: string, env: Record<string, string> = {}): CollectorConfig {
  return readCollectorConfig({
    MARKET_BINANCE_WS_URL: sim.urls.binance,
    MARKET_KUCOIN_REST_URL: sim.urls.kucoinRest,
    MARKET_BITMEX_WS_URL: sim.urls.bitmex,
    MARKET_BINANCE_REST_URL: sim.urls.binanceRest,
    MARKET_BITMEX_REST_URL: sim.urls.bitmexRest,
    MARKET_BINANCE_SYMBOLS: "BTCUSDT,ETHUSDT",
    MARKET_KUCOIN_SYMBOLS: "BTC-USDT,ETH-USDT",
    MARKET_BITMEX_SYMBOLS: "XBTUSD,ETHUSD",
    MARKET_FLUSH_RESERVE_MS: "0",
    MARKET_RECONNECT_BASE_MS: "50",
    MARKET_RECONNECT_MAX_MS: "400",
    PRICE_QUEUE: queue,
    RAW_BUCKET: BUCKET,
    ...env,
  });
}

export function collectorDeps(cloud: LocalSqsS3, queueUrl: string) {
  return {
    archive: new S3RawArchive(cloud.s3, BUCKET),
    producer: new QueueProducer(cloud.sqs, { claimCheck: { s3: cloud.s3, bucket: BUCKET } }),
    queueUrl: async () => queueUrl,
  };
}

/**
 * Every market batch on the queue (received, left in flight: the test owns the queue),
 * validated as the consumer validates it (a v2 payload comes back in v1's shape).
 * The collector's completeness reports go to `reports` when given.
 */
export async function drainQueue(cloud: LocalSqsS3, url: string, reports?: Array<Envelope<MarketCompleteness>>): Promise<Array<Envelope<MarketBatch>>> {
  const out: Array<Envelope<MarketBatch>> = [];
  for (;;) {
    const r = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }));
    if (!r.Messages?.length) return out;
    for (const m of r.Messages) {
      const wire = parseWireEnvelope(m.Body!);
      const envelope = validatePayload(wire, wire.payload, PRICE_PAYLOAD_SCHEMAS);
      if (envelope.schema === MARKET_COMPLETENESS_SCHEMA) reports?.push(envelope as Envelope<MarketCompleteness>);
      else out.push(envelope as Envelope<MarketBatch>);
    }
  }
}

export async function archivedObjects(cloud: LocalSqsS3, prefix: string): Promise<Array<{ key: string; records: Array<Record<string, unknown>> }>> {
  const out = [];
  let token: string | undefined;
  do {
    const page = await cloud.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) {
      const body = await cloud.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key! }));
      const text = gunzipSync(Buffer.from(await body.Body!.transformToByteArray())).toString("utf8");
      out.push({ key: o.Key!, records: text.trim().split("\n").map((l) => JSON.parse(l)) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

export const tradeKey = (t: { exchange: string; symbol: string; tradeId: string }) => `${t.exchange}|${t.symbol}|${t.tradeId}`;
