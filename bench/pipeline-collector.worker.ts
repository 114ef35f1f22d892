// The pipeline benchmark's producer side in its own thread: the market
// simulator and one collection window of the collector (websocket parsing,
// batching, raw archive, SQS), as `collect-market` runs in its own Lambda.
// The consumer, the SQS/S3 emulator and the broker stay on the main thread.
import { parentPort, workerData } from "node:worker_threads";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { runCollectionWindow } from "../lib/market/collector/runCollectionWindow.ts";
import { startMarketSimulator } from "../localcloud/market-sim/startMarketSimulator.ts";
import { collectorConfig, collectorDeps } from "../test/market/collectorHarness.ts";
import type { LocalSqsS3 } from "../test/helpers/localSqsS3.ts";

export interface CollectorJob {
  endpoint: string;
  queueName: string;
  queueUrl: string;
  exchange: "binance" | "bitmex" | "kucoin";
  sim: Parameters<typeof startMarketSimulator>[0];
  env: Record<string, string>;
}

const job = workerData as CollectorJob;
const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const clients = {
  sqs: new SQSClient({ region: "us-east-1", endpoint: job.endpoint, credentials }),
  s3: new S3Client({ region: "us-east-1", endpoint: job.endpoint, credentials, forcePathStyle: true }),
} as unknown as LocalSqsS3;
const sim = await startMarketSimulator(job.sim);
parentPort!.postMessage({ type: "ready" });
const stats = await runCollectionWindow(collectorConfig(sim, job.queueName, job.env), collectorDeps(clients, job.queueUrl), {
  remainingTimeMs: 3_600_000,
  correlationId: "pipeline-bench",
});
parentPort!.postMessage({ type: "flushed", stats, simSent: sim.stats().exchanges[job.exchange].tradesSent });
await sim.close();
clients.sqs.destroy();
clients.s3.destroy();
