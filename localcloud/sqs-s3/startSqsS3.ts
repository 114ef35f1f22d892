import { join } from "node:path";
import { loadFauxqs } from "./fauxqsInternals.ts";
import { persistentS3Store } from "./persistentS3Store.ts";

export interface SqsS3Options {
  host?: string;
  port: number;
  region?: string;
  /** Persist S3 objects here; undefined keeps everything in memory. */
  dataDir?: string;
}

export interface SqsS3Endpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the SQS + S3 emulator (fauxqs) on one LocalStack-style endpoint.
 * Queue URLs are built from the request's Host header, so a client that uses
 * `url` gets back queue URLs it can call (fauxqs's default host does not resolve).
 */
export async function startSqsS3(options: SqsS3Options): Promise<SqsS3Endpoint> {
  const { buildApp, SqsStore, SnsStore, S3Store } = await loadFauxqs();
  const sqsStore = new SqsStore();
  sqsStore.host = "";
  const region = options.region ?? "us-east-1";
  sqsStore.region = region;
  const snsStore = new SnsStore();
  snsStore.region = region;
  const s3Store = options.dataDir ? persistentS3Store(S3Store, join(options.dataDir, "s3")) : new S3Store();
  const app = buildApp({ logger: false, defaultRegion: region, stores: { sqsStore, snsStore, s3Store } });
  // fauxqs returns expired in-flight messages to the queue only on receive, so
  // its counts go stale; settle the timers first, as SQS's own counts would be.
  app.addHook("onRequest", async (request) => {
    if (request.headers["x-amz-target"] === "AmazonSQS.GetQueueAttributes") sqsStore.processAllTimers();
  });
  const host = options.host ?? "127.0.0.1";
  await app.listen({ host, port: options.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return { url: `http://${host}:${port}`, port, close: () => app.close() };
}
