import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { S3StateStore } from "../../lib/adapters/aws/S3StateStore.ts";
import { SocialCursors } from "../../lib/social/collect/SocialCursors.ts";
import { runSocialWindow } from "../../lib/social/collect/runSocialWindow.ts";
import { startJetstreamSimulator, type JetstreamSimulator } from "../../localcloud/social-sim/startJetstreamSimulator.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import type { CollectorWorkerData } from "./helpers/collectorWorker.ts";
import { BUCKET, countObjects, createBucket, drainSocialQueue, expectedMatches, freshQueue, freshStateBucket, socialConfig, socialDeps } from "./helpers/socialHarness.ts";

let cloud: LocalSqsS3;
let sim: JetstreamSimulator;

before(async () => {
  cloud = await startLocalSqsS3();
  await createBucket(cloud);
  // 2,000 events/s with two minutes of history to replay from.
  sim = await startJetstreamSimulator({ port: 0, seed: "collector-test", rate: 2000, historySeconds: 120, coinShare: 0.3 });
});
after(async () => {
  await sim.close();
  await cloud.close();
});

/** Posts on the queue by id (first copy) and how many copies each had. */
function byId(messages: Awaited<ReturnType<typeof drainSocialQueue>>) {
  const posts = new Map<string, { coins: string[]; copies: number }>();
  for (const m of messages) {
    assert.equal(m.schema, "social.batch/v1");
    assert.equal(m.source, "jetstream");
    for (const p of m.payload.posts) {
      const seen = posts.get(p.id);
      if (seen) seen.copies++;
      else posts.set(p.id, { coins: [...p.coins].sort(), copies: 1 });
    }
  }
  return posts;
}

describe("collect-social against the Jetstream simulator, through the local SQS and S3", () => {
  it("enqueues every post that mentions a followed coin, and nothing else, from the cursor on; archives each batch; writes the cursor", async () => {
    const queue = await freshQueue(cloud);
    const state = await freshStateBucket(cloud);
    const cursors = new SocialCursors(new S3StateStore(cloud.s3, state));
    const startUs = sim.stream.timeOf(10_000);
    await cursors.write("jetstream", startUs);
    const config = socialConfig(sim.url, queue.name, { SOCIAL_WINDOW_SECONDS: "1", SOCIAL_STATE_BUCKET: state });
    const stats = await runSocialWindow(config, { ...socialDeps(cloud, queue.url, state) }, { remainingTimeMs: 1000, correlationId: "test-window" });

    const s = stats.sources.jetstream!;
    assert.equal(s.resumedFromUs, startUs - 5_000_000, "resumed 5 s before the saved cursor");
    assert.ok(s.cursorUs !== undefined && s.cursorUs > s.resumedFromUs! + 1_000_000, "the cursor moved forward");
    assert.equal(await cursors.read("jetstream"), s.cursorUs, "the written cursor is the one reported");
    const expected = expectedMatches(sim.stream, s.resumedFromUs!, s.cursorUs!);
    assert.ok(expected.size > 500, `a useful sample: ${expected.size} matching posts replayed`);

    const messages = await drainSocialQueue(cloud, queue.url);
    const got = byId(messages);
    const missing = [...expected.keys()].filter((id) => !got.has(id));
    const unexpected = [...got.keys()].filter((id) => !expected.has(id));
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} matching posts not enqueued`);
    assert.deepEqual(unexpected.slice(0, 5), [], `${unexpected.length} posts enqueued that mention no coin (noise, look-alikes) or lie past the cursor`);
    for (const [id, e] of expected) assert.deepEqual(got.get(id)!.coins, e.coins, `coins of ${id}`);
    assert.ok([...got.values()].every((p) => p.copies === 1), "one window enqueues a post once");
    assert.equal(s.matched, expected.size);
    assert.equal(s.enqueued, expected.size);
    assert.ok(s.offered > s.matched * 2, "most of the offered posts matched nothing");
    assert.ok(messages.every((m) => m.correlationId === "test-window" && m.payload.posts.length <= 100));
    assert.equal(await countObjects(cloud, "raw/jetstream/"), messages.length, "every batch archived once");
  });

  it("resumes after a kill mid-window: every matching post is on the queue, repeats only from the resume point on", async () => {
    const queue = await freshQueue(cloud);
    const state = await freshStateBucket(cloud);
    const cursors = new SocialCursors(new S3StateStore(cloud.s3, state));
    const startUs = sim.stream.timeOf(40_000);
    await cursors.write("jetstream", startUs);
    const env = { SOCIAL_JETSTREAM_URL: sim.url, SOCIAL_QUEUE: queue.name, RAW_BUCKET: BUCKET, SOCIAL_STATE_BUCKET: state, SOCIAL_WINDOW_SECONDS: "30", SOCIAL_FLUSH_RESERVE_MS: "0", SOCIAL_CURSOR_SAVE_SECONDS: "1" };

    // Run 1 in a worker thread, terminated once it has written a cursor or two: no final flush, no last cursor.
    const data: CollectorWorkerData = { endpoint: cloud.endpoint.url, bucket: BUCKET, stateBucket: state, queueUrl: queue.url, env, remainingTimeMs: 30_000 };
    const entry = new URL("./helpers/collectorWorker.ts", import.meta.url).href;
    const worker = new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: data });
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    const deadline = Date.now() + 30_000;
    let saved = startUs;
    while (Date.now() < deadline) {
      saved = (await cursors.read("jetstream")) ?? startUs;
      if (saved > startUs) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(saved > startUs, "run 1 wrote a cursor before the kill");
    await new Promise((r) => setTimeout(r, 700)); // more batches enqueued past that cursor
    await worker.terminate();
    await exited;
    const depth = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ["ApproximateNumberOfMessages"] }));
    assert.ok(Number(depth.Attributes?.ApproximateNumberOfMessages) > 0, "run 1 enqueued batches");

    // Run 2 resumes from the cursor run 1 left.
    const config = socialConfig(sim.url, queue.name, { SOCIAL_WINDOW_SECONDS: "1", SOCIAL_STATE_BUCKET: state });
    const stats = await runSocialWindow(config, socialDeps(cloud, queue.url, state), { remainingTimeMs: 1000, correlationId: "run-2" });
    const s = stats.sources.jetstream!;
    const savedByRun1 = s.resumedFromUs! + 5_000_000;
    assert.ok(savedByRun1 >= saved, "run 2 started from run 1's last cursor (minus the overlap)");

    const messages = await drainSocialQueue(cloud, queue.url); // both runs' messages
    const got = byId(messages);
    // Up to the last cursor, every matching post is there; past it, run 1 may have enqueued more (read again next window).
    const expected = expectedMatches(sim.stream, startUs - 5_000_000, s.cursorUs!);
    const missing = [...expected.keys()].filter((id) => !got.has(id));
    assert.deepEqual(missing.slice(0, 5), [], `${missing.length} matching posts lost across the kill`);
    const anyTime = expectedMatches(sim.stream, startUs - 5_000_000, Date.now() * 1000);
    assert.deepEqual([...got.keys()].filter((id) => !anyTime.has(id)).slice(0, 5), [], "only posts that mention a coin");
    const repeats = [...got].filter(([, p]) => p.copies > 1).map(([id]) => id);
    assert.ok(repeats.length > 0, "the overlap was read again (and is for the consumer to drop by id)");
    for (const id of repeats) {
      assert.ok(anyTime.get(id)!.timeUs >= s.resumedFromUs!, `${id} repeated although it lies before the resume point`);
      assert.equal(got.get(id)!.copies, 2, "read by each run at most once");
    }
  });
});

