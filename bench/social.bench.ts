// `npm run bench -- social`: one collect-social window against the Jetstream
// simulator at a firehose rate, into the local SQS + S3. The simulator and the
// collector run in processes of their own (the collector's CPU is its own).
//   live:     the stream at ~2,000 posts/s from now on: does one collector keep up
//             (everything the simulator sent read, the cursor within a second of now)?
//   catch-up: the same collector resuming two minutes behind: how fast it reads
//             history, i.e. its headroom over the live rate.
// Flags: --quick (8 s windows), --rate=<events/s> (2500 ≈ 2,000 posts/s), --coin-share=<0–1> (0.05).
import { spawn, type ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { S3StateStore } from "../lib/adapters/aws/S3StateStore.ts";
import { SocialCursors } from "../lib/social/collect/SocialCursors.ts";
import type { SocialCollectionStats } from "../lib/social/collect/runSocialWindow.ts";
import { startLocalSqsS3 } from "../test/helpers/localSqsS3.ts";
import { createBucket, freshQueue, freshStateBucket, BUCKET } from "../test/social/helpers/socialHarness.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const quick = process.argv.includes("--quick");
const SECONDS = quick ? 8 : 30;
const RATE = arg("rate", 2500);
const SHARE = arg("coin-share", 0.05);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

function startSimulator(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/social-sim.ts", "--port", "0", "--seed", "bench", "--rate", String(RATE), "--coin-share", String(SHARE), "--history", "600", "--stats", "0"], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`simulator exited ${code}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const m = /SOCIAL_JETSTREAM_URL=(\S+)/.exec(line);
      if (m) resolve({ child, url: m[1]! });
    });
  });
}

interface ChildResult {
  stats: SocialCollectionStats;
  cpuMs: number;
  elu: number;
  rssMb: number;
  endUs: number;
}

function runCollector(env: Record<string, string>): Promise<ChildResult> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/social-collector.child.ts"], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, CRYPTOVIZ_LOG_LEVEL: "SILENT", ...env } });
  let last = "";
  createInterface({ input: child.stdout! }).on("line", (line) => (last = line));
  return new Promise((resolve, reject) => child.once("exit", (code) => (code === 0 ? resolve(JSON.parse(last)) : reject(new Error(`collector exited ${code}`)))));
}

const cloud = await startLocalSqsS3();
await createBucket(cloud);
const sim = await startSimulator();
console.log(`Jetstream simulator ${RATE} events/s (≈ ${fmt(RATE * 0.8)} new posts/s, ${SHARE * 100} % about a coin); windows of ${SECONDS} s; load ${load()} (2 cores)`);

for (const phase of ["live", "catch-up"] as const) {
  const queue = await freshQueue(cloud);
  const state = await freshStateBucket(cloud);
  const startUs = Date.now() * 1000;
  // catch-up: a cursor two minutes back (plus the 5 s overlap); live: no cursor, the stream from now.
  if (phase === "catch-up") await new SocialCursors(new S3StateStore(cloud.s3, state)).write("jetstream", startUs - 120_000_000);
  const r = await runCollector({
    BENCH_ENDPOINT: cloud.endpoint.url,
    BENCH_QUEUE_URL: queue.url,
    SOCIAL_QUEUE: queue.name,
    RAW_BUCKET: BUCKET,
    SOCIAL_STATE_BUCKET: state,
    SOCIAL_JETSTREAM_URL: sim.url,
    SOCIAL_WINDOW_SECONDS: String(SECONDS),
    SOCIAL_FLUSH_RESERVE_MS: "0",
  });
  const s = r.stats.sources.jetstream!;
  const seconds = r.stats.windowMs / 1000;
  const depth = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ["ApproximateNumberOfMessages"] }));
  const lagMs = s.cursorUs === undefined ? Number.NaN : (r.endUs - s.cursorUs) / 1000;
  const covered = s.cursorUs === undefined || s.resumedFromUs === undefined ? Number.NaN : (s.cursorUs - s.resumedFromUs) / 1e6;
  console.log(
    `  ${phase.padEnd(8)} offered ${fmt(s.offered / seconds)} posts/s (${fmt(s.messages / seconds)} events/s), matched ${fmt(s.matched / seconds)} posts/s, ` +
      `enqueued ${fmt(s.enqueued)} in ${s.batches} batches (${depth.Attributes?.ApproximateNumberOfMessages} on the queue), ` +
      `collector CPU ${((100 * r.cpuMs) / r.stats.elapsedMs).toFixed(0)} % of a core, event loop ${(100 * r.elu).toFixed(0)} % busy, rss ${r.rssMb.toFixed(0)} MB, ` +
      (phase === "live" ? `cursor ${lagMs.toFixed(0)} ms behind at the end` : `read ${covered.toFixed(0)} s of stream in ${seconds.toFixed(0)} s (${(covered / seconds).toFixed(1)}× real time)`) +
      `, final flush ${r.stats.elapsedMs - r.stats.windowMs} ms; load ${load()}`,
  );
  if (s.enqueued !== s.matched || s.failedBatches > 0) process.exitCode = 1;
  if (phase === "live" && s.offered / seconds < 0.95 * RATE * 0.8) {
    console.log(`  live: did NOT keep up (read ${fmt(s.offered / seconds)} of ≈ ${fmt(RATE * 0.8)} posts/s)`);
    process.exitCode = 1;
  }
}
sim.child.kill("SIGTERM");
await cloud.close();
