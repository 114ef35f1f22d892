// The scheduled scrape handlers as Lambda runs them: module-scope clients from
// the environment, the local cloud, the fixture sites standing in for the real
// ones through SCRAPER_BASE_URLS. Shared by functions/scrape-news and
// functions/scrape-prices handler tests.
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { Context } from "aws-lambda";
import type { WireEnvelope } from "../../../contracts/envelope.ts";
import { parseWireEnvelope } from "../../../lib/queue/envelope.ts";
import { createQueues, queueWithDlq, startLocalSqsS3, type LocalSqsS3 } from "../../helpers/localSqsS3.ts";
import { fixtureDir, serveFixtureSite, type FixtureServer } from "./fixtureServer.ts";

export const RAW_BUCKET = "h-raw";

/** A context whose invocation ends `timeoutMs` from now. */
export const scrapeContext = (timeoutMs: number): Context => {
  const end = Date.now() + timeoutMs;
  return { getRemainingTimeInMillis: () => end - Date.now(), functionName: "scrape", awsRequestId: "test-request" } as unknown as Context;
};

export interface ScrapeHarness {
  cloud: LocalSqsS3;
  /** Up to twenty envelopes waiting on `queue` (h-news-tasks, h-price-tasks). */
  drain(queue: string): Promise<WireEnvelope[]>;
  close(): Promise<void>;
}

/** Queues, the raw bucket, the four fixture sites, and the environment the handlers read. */
export async function startScrapeHarness(): Promise<ScrapeHarness> {
  const cloud = await startLocalSqsS3();
  const created = await createQueues(cloud, [
    ...queueWithDlq("h-news-tasks", { visibilityTimeout: 30, maxReceiveCount: 3 }),
    ...queueWithDlq("h-price-tasks", { visibilityTimeout: 30, maxReceiveCount: 3 }),
  ]);
  const queueUrls = new Map([...created.queues.values()].map((q) => [q.name, q.url]));
  await cloud.s3.send(new CreateBucketCommand({ Bucket: RAW_BUCKET }));
  const sites: Record<string, FixtureServer> = {};
  for (const site of ["u.today", "coindesk", "cryptocompare", "coinmarketcap"]) sites[site] = await serveFixtureSite(fixtureDir(site));
  Object.assign(process.env, {
    CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
    AWS_REGION: "us-east-1",
    NEWS_QUEUE: "h-news-tasks",
    PRICE_QUEUE: "h-price-tasks",
    RAW_BUCKET,
    CRYPTOVIZ_LOG_LEVEL: "SILENT",
    SCRAPER_FLUSH_RESERVE_MS: "2000",
    SCRAPER_BASE_URLS: JSON.stringify({
      "u.today": sites["u.today"]!.url,
      "coindesk.com": sites.coindesk!.url,
      "cryptocompare.com": sites.cryptocompare!.url,
      "coinmarketcap.com": sites.coinmarketcap!.url,
    }),
  });
  const receive = async (queue: string) => {
    const { Messages = [] } = await cloud.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrls.get(queue)!, MaxNumberOfMessages: 10 }));
    return Messages.map((m) => parseWireEnvelope(m.Body!));
  };
  return {
    cloud,
    drain: async (queue) => [...(await receive(queue)), ...(await receive(queue))],
    close: async () => {
      await Promise.all(Object.values(sites).map((s) => s.close()));
      await cloud.close();
    },
  };
}
