// consume-social at the matched rate: the real handler behind the local event
// source mapping (serverless.yml's settings: batches of 10, two invocations at
// once), sentiment through the infer-sentiment function over HTTP (the deployed
// default; --nlp=in-process loads the model in the consumer instead), the
// search endpoint in its own process, notifications to the local broker.
//   npm run bench -- social-consume [--quick] [--rate=200] [--seconds=60] [--posts-per-message=200] [--backlog-seconds=30] [--nlp=remote|in-process]
// Two phases: "steady" offers --rate posts/s for --seconds (one collector
// message per second, as a window's flushes arrive) and measures how far the
// consumer falls behind; "backlog" enqueues --backlog-seconds of posts at once
// and measures how fast it drains (the consumer's capacity). Prints posts/s,
// per-batch (invocation) time p50/p95/max, and the load average.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { setNotifier } from "../lib/adapters/mqtt/getNotifier.ts";
import { EventSourceMapping } from "../localcloud/esm/EventSourceMapping.ts";
import { seededPosts, socialEnvelope } from "../test/fixtures/social/socialPosts.ts";
import { lambdaContext } from "../test/helpers/lambdaContext.ts";
import { createQueues, queueWithDlq, startLocalSqsS3 } from "../test/helpers/localSqsS3.ts";
import { serveHttpLambda } from "../test/helpers/serveHttpLambda.ts";
import { identities, startBroker } from "../test/notify/helpers.ts";
import { profileArgs } from "./profileArgs.ts";

process.env.CRYPTOVIZ_LOG_LEVEL ??= "SILENT";
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const flag = (name: string, fallback: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const RATE = Number(flag("rate", "200"));
const SECONDS = Number(flag("seconds", quick ? "15" : "60"));
const PER_MESSAGE = Number(flag("posts-per-message", String(Math.min(500, RATE))));
const BACKLOG_SECONDS = Number(flag("backlog-seconds", quick ? "10" : "30"));
const NLP = flag("nlp", "remote");
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

// ---- the search endpoint, in its own process (as the domain is another machine) ----
const SEARCH_MAIN = fileURLToPath(import.meta.resolve("@cryptoviz/local-search/main"));
const dataDir = mkdtempSync(join(tmpdir(), "bench-social-"));
const child = spawn(process.execPath, [...profileArgs(), "--import", "tsx", SEARCH_MAIN, "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
process.once("exit", () => child.kill()); // never leave the search process behind
const searchUrl = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
  child.once("exit", (code) => reject(new Error(`search server exited ${code}`)));
});

const cloud = await startLocalSqsS3();
const broker = await startBroker();
const created = await createQueues(cloud, queueWithDlq("social", { visibilityTimeout: 180, maxReceiveCount: 5 }));
const queueUrl = created.queues.get("social")!.url;
Object.assign(process.env, {
  CRYPTOVIZ_AWS_ENDPOINT: cloud.endpoint.url,
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  AWS_REGION: "us-east-1",
  SOCIAL_DLQ: "social-dlq",
  SEARCH_URL: searchUrl,
  SEARCH_AUTH: "none",
  NOTIFY_TRANSPORT: "local",
  NOTIFY_MQTT_URL: `mqtt://127.0.0.1:${broker.tcpPort}`,
  NOTIFY_MQTT_USERNAME: identities.publisher.username,
  NOTIFY_MQTT_PASSWORD: identities.publisher.password,
  INFERENCE_TOKEN: "bench-token",
  INFERENCE_TIMEOUT_MS: "10000",
  NLP_MODE: NLP,
});
let inference: Awaited<ReturnType<typeof serveHttpLambda>> | undefined;
if (NLP === "remote") {
  const sentiment = await import("../functions/infer-sentiment/handler.ts");
  inference = await serveHttpLambda({ "POST /infer/sentiment": sentiment.handler });
  process.env.INFERENCE_BASE_URL = `${inference.url}/infer`;
}
const { handler } = (await import("../functions/consume-social/handler.ts")) as unknown as { handler: (e: SQSEvent, c: Context) => Promise<SQSBatchResponse> };

const batchMs: number[] = [];
let failedRecords = 0;
const esm = new EventSourceMapping(
  cloud.sqs,
  { functionName: "consume-social", queueUrl, queueArn: created.queues.get("social")!.arn, batchSize: 10, maximumBatchingWindowSeconds: 2, maximumConcurrency: 2, reportBatchItemFailures: true, region: "us-east-1" },
  async (_fn, event: SQSEvent) => {
    const t0 = performance.now();
    try {
      // The Lambda timeout (30 s) counts from the invocation's start, as the handler's deadline checks expect.
      const payload = await handler(event, { ...lambdaContext("consume-social"), getRemainingTimeInMillis: () => 30_000 - (performance.now() - t0) });
      failedRecords += payload.batchItemFailures.length;
      return { ok: true, payload };
    } catch (error) {
      return { ok: false, error: String(error) };
    } finally {
      batchMs.push(performance.now() - t0);
    }
  },
);
esm.start();

async function storedPosts(): Promise<number> {
  const r = await fetch(`${searchUrl}/cryptoviz-social-posts-*/_count`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  return r.ok ? ((await r.json()) as { count: number }).count : 0;
}
let seed = 1;
async function enqueue(posts: number, aroundMs: number): Promise<void> {
  for (let sent = 0; sent < posts; sent += PER_MESSAGE) {
    const list = seededPosts(Math.min(PER_MESSAGE, posts - sent), aroundMs - 1000, aroundMs, seed++, ["BTC", "ETH", "SOL"], 2000);
    await cloud.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(socialEnvelope(list, seed)) }));
  }
}
async function drained(target: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if ((await storedPosts()) >= target) return performance.now();
    if (performance.now() > deadline) throw new Error(`not drained: ${await storedPosts()} of ${target} posts stored after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const pct = (list: number[], p: number) => {
  const s = [...list].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
function report(label: string, posts: number, ms: number, batches: number[]): void {
  console.log(
    `  ${label.padEnd(9)} ${posts} posts in ${(ms / 1000).toFixed(1)} s = ${((posts / ms) * 1000).toFixed(0).padStart(5)} posts/s stored; ` +
      `per batch (invocation, ≤10 messages): ${batches.length} batches, p50 ${pct(batches, 50).toFixed(0)} ms, p95 ${pct(batches, 95).toFixed(0)} ms, max ${pct(batches, 100).toFixed(0)} ms`,
  );
}

console.log(`consume-social: ${RATE} posts/s offered for ${SECONDS} s in messages of ≤${PER_MESSAGE} posts, then a ${BACKLOG_SECONDS} s backlog; sentiment ${NLP === "remote" ? "through infer-sentiment over HTTP" : "in process"}`);
console.log(`  load average at start: ${load()}`);
// Warm-up: templates, model, connections.
await enqueue(50, Date.now());
await drained(50, 60_000);
let total = 50;
batchMs.length = 0;

// ---- steady: the matched rate, one message a second ----
const t0 = performance.now();
for (let s = 0; s < SECONDS; s++) {
  const due = t0 + s * 1000;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  await enqueue(RATE, Date.now());
}
const offeredMs = performance.now() - t0;
total += RATE * SECONDS;
const steadyEnd = await drained(total, 300_000);
const behindMs = steadyEnd - (t0 + offeredMs);
report("steady", RATE * SECONDS, steadyEnd - t0, batchMs.splice(0));
console.log(`            the last post was stored ${(behindMs / 1000).toFixed(1)} s after the last was offered (keeps up when this stays ~ one batch's time)`);

// ---- backlog: capacity ----
const backlog = RATE * BACKLOG_SECONDS;
const tb = performance.now();
await enqueue(backlog, Date.now());
total += backlog;
const backlogEnd = await drained(total, 600_000);
report("backlog", backlog, backlogEnd - tb, batchMs.splice(0));
console.log(`  failed records: ${failedRecords}; load average at end: ${load()}`);

await esm.stop();
await setNotifier(undefined);
await inference?.close();
await Promise.all([cloud.close(), broker.close()]);
child.kill();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
