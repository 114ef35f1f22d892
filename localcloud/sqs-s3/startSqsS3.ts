import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { loadFauxqs, type FauxqsSqsStore } from "./fauxqsInternals.ts";
import { importLegacyS3Objects } from "./importLegacyS3Objects.ts";

export interface SqsS3Options {
  host?: string;
  port: number;
  region?: string;
  /** Persist queues, messages, buckets and objects here; undefined keeps everything in memory. */
  dataDir?: string;
}

export interface SqsS3Endpoint {
  url: string;
  port: number;
  /** Messages that were in flight when the previous run stopped and are visible again now (none without a data directory). */
  releasedInFlight: number;
  close(): Promise<void>;
}

/**
 * Starts the SQS + S3 emulator (fauxqs 2.x) on one LocalStack-style endpoint.
 *
 * With a data directory, queues and their messages live in SQLite (fauxqs writes every
 * change through before it answers, so a message whose SendMessage succeeded survives a
 * `kill -9`) and S3 objects as plain files. Queue URLs are built from the request's Host
 * header, so a client that uses `url` gets back queue URLs it can call.
 */
export async function startSqsS3(options: SqsS3Options): Promise<SqsS3Endpoint> {
  const { buildApp, SqsStore, SnsStore, S3Store, PersistenceManager, FileS3Persistence } = await loadFauxqs();
  const region = options.region ?? "us-east-1";
  const sqsStore = new SqsStore();
  sqsStore.host = "";
  sqsStore.region = region;
  const snsStore = new SnsStore();
  snsStore.region = region;
  const s3Store = new S3Store();

  const closers: Array<() => void> = [];
  let releasedInFlight = 0;
  if (options.dataDir) {
    const queuesDir = join(options.dataDir, "sqs");
    const objectsDir = join(options.dataDir, "s3-objects");
    mkdirSync(queuesDir, { recursive: true });
    const queues = new PersistenceManager(queuesDir);
    const objects = new FileS3Persistence(objectsDir);
    closers.push(() => queues.close(), () => objects.close());
    // Load first, then attach persistence, as fauxqs's own startFauxqs does (a
    // write-through during the load would rewrite what is being read).
    queues.loadSqsAndSns(sqsStore, snsStore);
    objects.loadS3(s3Store);
    sqsStore.persistence = queues;
    snsStore.persistence = queues;
    for (const queue of sqsStore.allQueues()) queue.persistence = queues;
    s3Store.persistence = objects;
    importLegacyS3Objects(join(options.dataDir, "s3"), s3Store);
    releasedInFlight = releaseInFlight(sqsStore);
  }

  const app = buildApp({ logger: false, defaultRegion: region, stores: { sqsStore, snsStore, s3Store } });
  // fauxqs returns expired in-flight messages to the queue only on receive, so
  // its counts go stale; settle the timers first, as SQS's own counts would be.
  app.addHook("onRequest", async (request) => {
    if (request.headers["x-amz-target"] === "AmazonSQS.GetQueueAttributes") sqsStore.processAllTimers();
  });
  app.addHook("onClose", async () => {
    for (const close of closers) close();
  });
  const host = options.host ?? "127.0.0.1";
  await app.listen({ host, port: options.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  // A restored queue keeps the URL it was created with; the port may differ this time.
  for (const queue of sqsStore.allQueues()) queue.url = `${url}/${new URL(queue.url).pathname.replace(/^\//, "")}`;
  return { url, port, releasedInFlight, close: () => app.close() };
}

/**
 * After a crash, messages that were in flight belong to consumers that died with the
 * stack. SQS would hold them until their visibility timeout (up to six minutes here);
 * nothing can still be working on them, so they are made visible at once (receive
 * counts kept, so a poison message still reaches its DLQ).
 */
function releaseInFlight(sqsStore: FauxqsSqsStore): number {
  let released = 0;
  for (const queue of sqsStore.allQueues()) {
    for (const receiptHandle of [...queue.inflightMessages.keys()]) {
      queue.changeVisibility(receiptHandle, 0);
      released++;
    }
  }
  return released;
}
