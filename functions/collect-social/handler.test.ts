import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Context, ScheduledEvent } from "aws-lambda";
import { S3StateStore } from "../../lib/adapters/aws/S3StateStore.ts";
import { SocialCursors } from "../../lib/social/collect/SocialCursors.ts";
import type { SocialCollectionStats } from "../../lib/social/collect/runSocialWindow.ts";
import { startJetstreamSimulator, type JetstreamSimulator } from "../../localcloud/social-sim/startJetstreamSimulator.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../../test/helpers/localSqsS3.ts";
import { BUCKET, createBucket, drainSocialQueue, freshQueue } from "../../test/social/helpers/socialHarness.ts";

let cloud: LocalSqsS3;
let sim: JetstreamSimulator;
let queueUrl: string;
let handler: (event: ScheduledEvent, context: Context) => Promise<SocialCollectionStats>;

before(async () => {
  cloud = await startLocalSqsS3();
  await createBucket(cloud);
  sim = await startJetstreamSimulator({ port: 0, seed: "handler", rate: 500, coinShare: 0.5 });
  const queue = await freshQueue(cloud);
  queueUrl = queue.url;
  Object.assign(process.env, {
    CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    RAW_BUCKET: BUCKET,
    SOCIAL_QUEUE: queue.name,
    SOCIAL_JETSTREAM_URL: sim.url,
    SOCIAL_FLUSH_RESERVE_MS: "1500",
  });
  ({ handler } = (await import("./handler.ts")) as unknown as { handler: typeof handler });
});
after(async () => {
  await sim.close();
  await cloud.close();
});

describe("collect-social handler", () => {
  it("runs one window sized by the remaining time, enqueues matched posts with the schedule's id, writes the cursor", async () => {
    const event = JSON.parse(readFileSync("functions/collect-social/event.json", "utf8")) as ScheduledEvent;
    const context = { ...lambdaContext("collect-social"), getRemainingTimeInMillis: () => 2500 };
    const started = Date.now();
    const stats = await handler(event, context);
    assert.equal(stats.windowMs, 1000, "remaining 2500 ms minus the 1500 ms flush reserve");
    assert.ok(Date.now() - started < 2500, "returned before the timeout");
    const messages = await drainSocialQueue(cloud, queueUrl);
    const s = stats.sources.jetstream!;
    assert.ok(s.enqueued > 0, "the simulator's coin posts were matched");
    assert.equal(messages.flatMap((m) => m.payload.posts).length, s.enqueued);
    assert.ok(messages.every((m) => m.correlationId === event.id), "the schedule event id follows the messages");
    assert.equal(await new SocialCursors(new S3StateStore(cloud.s3, BUCKET)).read("jetstream"), s.cursorUs);
  });
});
