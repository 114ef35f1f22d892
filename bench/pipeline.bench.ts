// End to end, as issue 4 "Performance" asks: market simulator → collector
// (runCollectionWindow, real BatchShipper/QueueProducer, raw archive to S3) →
// price queue on the local SQS emulator → EventSourceMapping invoking the
// consume-prices logic in-process (processQueueBatch + consumeMarketMessages,
// store over HTTP against the search endpoint in its own process, MqttNotifier
// publishing to the local broker) → store; an MQTT subscriber times each trade
// from its exchange timestamp to its `notify/data` message.
//   npm run bench -- pipeline [--quick] [--rate=20000] [--seconds=60] [--burst-seconds=10] [--exchange=binance] [--batch=500] [--consumer-batch=10] [--consumer-window=0] [--concurrency=2] [--burst-concurrency=1] [--same-thread]
// Defaults are serverless.yml's: collector flushes of 500 records, consume-prices batches of 10
// messages with no batching window, at most 2 invocations at once.
// The simulator and the collector run in worker threads of their own (the exchanges
// are other machines; collect-market runs in its own Lambda); `--same-thread` puts
// both on the consumer's event loop, as before. Everything but the search endpoint
// is this one process (2 cores). The latency is also printed by stage (collector, queue,
// consumer, broker) and per 10 s. In the burst the simulator waits while the collector's
// socket holds more than 4 MB, so the collector reads at its own full speed.
import { spawn } from "node:child_process";
import { Worker } from "node:worker_threads";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance as nodePerformance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import mqtt from "mqtt";
import type { CollectionStats } from "../lib/market/collect/runCollectionWindow.ts";
import { runCollectionWindow } from "../lib/market/collect/runCollectionWindow.ts";
import { consumeMarketMessages, PRICE_PAYLOAD_SCHEMAS, type PricePayload } from "../lib/market/consume/consumeMarketMessages.ts";
import type { MarketBatch } from "../contracts/market.ts";
import "../lib/adapters/mqtt/locateCrtBinary.ts";
import { silentLogger } from "../lib/log/jsonLogger.ts";
import { MqttNotifier } from "../lib/adapters/mqtt/MqttNotifier.ts";
import type { Notifier } from "../lib/notify/notifier.ts";
import { priceFeedDataTopic } from "../contracts/topics.ts";
import { SqsDeadLetterQueue } from "../lib/adapters/aws/SqsDeadLetterQueue.ts";
import { processQueueBatch, type ConsumedMessage } from "../lib/queue/processQueueBatch.ts";
import { queueUrlResolver } from "../lib/adapters/aws/queueUrl.ts";
import { s3PayloadResolver } from "../lib/adapters/aws/s3PayloadResolver.ts";
import { createSearchClient } from "../lib/adapters/opensearch/createSearchClient.ts";
import { ensureTemplates } from "../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../lib/store/StoreConfig.ts";
import { createStoreContext } from "../lib/store/StoreContext.ts";
import { EventSourceMapping } from "../localcloud/esm/EventSourceMapping.ts";
import { startMarketSimulator, type MarketSimulator } from "../localcloud/market-sim/startMarketSimulator.ts";
import { startMqttBroker } from "../localcloud/mqtt/broker.ts";
import { createQueues, queueWithDlq, startLocalSqsS3 } from "../test/helpers/localSqsS3.ts";
import { collectorConfig, collectorDeps, createBucket } from "../test/market/collectorHarness.ts";
import { profileArgs } from "./profileArgs.ts";
import type { CollectorJob } from "./pipeline-collector.worker.ts";
import type { SimulatorReply, SimulatorRequest } from "./pipeline-simulator.worker.ts";

process.env.CRYPTOVIZ_LOG_LEVEL ??= "SILENT";
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
/** `--name=value` (npm run bench passes only arguments that start with --). */
const flag = (name: string, fallback: string): string => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const TARGET = 20_000;
const RATE = Number(flag("rate", quick ? "5000" : String(TARGET)));
const SECONDS = Number(flag("seconds", quick ? "4" : "60"));
const BURST_SECONDS = Number(flag("burst-seconds", quick ? "2" : "10"));
const EXCHANGE = flag("exchange", "binance") as "binance" | "bitmex" | "kucoin";
const BATCH = flag("batch", "500"); // serverless.yml collect-market MARKET_BATCH_MAX_MESSAGES
// consume-prices' event source in serverless.yml (AWS: a window of at least 1 s whenever batchSize > 10).
const CONSUMER_BATCH = Number(flag("consumer-batch", "10"));
const CONSUMER_WINDOW = Number(flag("consumer-window", "0"));
const CONCURRENCY = Number(flag("concurrency", "2"));
const BURST_CONCURRENCY = Number(flag("burst-concurrency", "1"));
const SAME_THREAD = argv.includes("--same-thread");
const PAIRS = ["BTC-USDT", "ETH-USDT"];
const SYMBOLS = { binance: "BTCUSDT,ETHUSDT", bitmex: "XBTUSDT,ETHUSDT", kucoin: "BTC-USDT,ETH-USDT" }[EXCHANGE];
/** Consumer log lines above info, counted by message (the first of each kept). */
const warnings = new Map<string, { n: number; first: unknown }>();
const note = (message: string, data?: unknown) => {
  const w = warnings.get(message);
  if (w) w.n++;
  else warnings.set(message, { n: 1, first: data });
};
const quiet = { info() {}, warn: note, error: note, debug() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

// ---- worker threads (the simulator; the collector) ----
/** A worker running a TypeScript module: Node 20 does not hand --import hooks to workers, so tsx is registered in it first. */
function tsxWorker(file: string, data: unknown): Worker {
  const entry = new URL(file, import.meta.url).href;
  return new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData: data });
}
function nextMessage<T extends { type: string }>(worker: Worker, type: T["type"]): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (m.type !== type) return;
      worker.off("message", onMessage);
      resolve(m);
    };
    worker.on("message", onMessage);
    worker.once("error", reject);
  });
}

// ---- the search endpoint, in its own process ----
const SEARCH_MAIN = fileURLToPath(import.meta.resolve("@cryptoviz/local-search/main"));

async function startSearch(dataDir: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...profileArgs(), "--import", "tsx", SEARCH_MAIN, "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`search server exited ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.once("exit", () => child.kill()); // never leave the search process behind
  return { url: (JSON.parse(line) as { url: string }).url, pid: child.pid!, stop: async () => { child.kill(); await exited; } };
}
/** User + system CPU seconds of a process (clock ticks of 1/100 s). */
const cpuOfPid = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};
const rssOfPid = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
};

// ---- latency: exchange timestamp → notify/data at a subscriber (1 ms histogram) ----
class Histogram {
  readonly counts = new Uint32Array(300_001);
  n = 0;
  add(ms: number): void {
    this.counts[Math.max(0, Math.min(300_000, Math.round(ms)))]!++;
    this.n++;
  }
  q(p: number): number {
    if (this.n === 0) return NaN;
    const want = Math.ceil(p * this.n);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) if ((seen += this.counts[i]!) >= want) return i;
    return 300_000;
  }
}
let hist = new Histogram();
/** The latency of each 10 s of a phase (by arrival): a spike shows up here, not in the p95 of the whole run. */
let windows: Histogram[] = [];
let phaseStartedAt = Date.now();
/**
 * Where the latency goes, per trade: exchange ts → SQS SentTimestamp (simulator socket, collector
 * batching and SendMessageBatch), → invocation start (queue wait), → notify/data published
 * (the consumer's store writes), → arrival at the subscriber (broker).
 */
const STAGES = ["collector", "queue", "consumer", "broker"] as const;
let stages = Object.fromEntries(STAGES.map((s) => [s, new Histogram()])) as Record<(typeof STAGES)[number], Histogram>;
/** A covered trade's exchange ts, and when its message was sent and its invocation started. */
interface TradeTiming { ts: number; sent: number; invoked: number }
/** topic|at → the trades that notification covers, with when it was published (registered before it is published). */
const pending = new Map<string, { trades: TradeTiming[]; published: number }[]>();
let dataMessages = 0;
let unmatched = 0;

/** The invocation's notifier: records which trades a `notify/data` publish covers, then publishes for real. */
function tracingNotifier(inner: Notifier, tradeTs: Map<string, TradeTiming[]>): Notifier {
  return {
    publish(topic, payload) {
      const trades = tradeTs.get(topic);
      if (trades && trades.length > 0) {
        const key = `${topic}|${(payload as { at: string }).at}`;
        const entry = { trades, published: Date.now() };
        const list = pending.get(key);
        if (list) list.push(entry);
        else pending.set(key, [entry]);
        tradeTs.delete(topic);
      }
      return inner.publish(topic, payload);
    },
    stats: () => inner.stats(),
    close: async () => undefined,
  };
}

// ---- resources ----
const dataDir = mkdtempSync(join(tmpdir(), "pipeline-bench-"));
const search = await startSearch(dataDir);
const cloud = await startLocalSqsS3();
await createBucket(cloud);
// One price queue per phase (VisibilityTimeout 180 s, maxReceiveCount 3, as serverless.yml): a stopped
// mapping's last long poll can still take a message server-side, which would then sit out its
// visibility timeout and stretch the next phase's drain.
let queue: { name: string; url: string; arn: string } | undefined;
/** As serverless.yml declares price-tasks: FIFO grouped by symbol, each send deduplicated by its envelope id. */
async function freshPriceQueue(name: string) {
  const specs = queueWithDlq(name, { visibilityTimeout: 180, maxReceiveCount: 3, fifo: true }).map((q) => ({
    ...q,
    attributes: { ...q.attributes, ContentBasedDeduplication: "false", ...(q.redrive ? { DeduplicationScope: "messageGroup", FifoThroughputLimit: "perMessageGroupId" } : {}) },
  }));
  const created = await createQueues(cloud, specs);
  return { ...created.queues.get(name)!, name: `${name}.fifo`, dlqUrl: created.queues.get(`${name}Dlq`)!.url };
}
const identities = {
  publisher: { username: "bench-publisher", password: "bench-pub" },
  dashboard: { username: "bench-dashboard", password: "bench-dash" },
};
const broker = await startMqttBroker({ tcpPort: 0, wsPort: 0, identities, logger: silentLogger });
const notifier = new MqttNotifier({ transport: { kind: "local", host: "127.0.0.1", port: broker.tcpPort, ...identities.publisher }, timeoutMs: 5000, logger: silentLogger });
const subscriber = await mqtt.connectAsync(broker.tcpUrl, { protocolVersion: 4, ...identities.dashboard, reconnectPeriod: 0, clean: true });
subscriber.on("message", (topic, raw) => {
  const now = Date.now();
  dataMessages++;
  const at = /"at":"([^"]+)"/.exec(raw.subarray(0, 200).toString("latin1"))?.[1];
  const key = `${topic}|${at}`;
  const list = pending.get(key);
  const entry = list?.shift();
  if (list && list.length === 0) pending.delete(key);
  if (!entry) return void unmatched++;
  const perWindow = (windows[Math.floor((now - phaseStartedAt) / 10_000)] ??= new Histogram());
  for (const t of entry.trades) {
    perWindow.add(now - t.ts);
    hist.add(now - t.ts);
    stages.collector.add(t.sent - t.ts);
    stages.queue.add(t.invoked - t.sent);
    stages.consumer.add(entry.published - t.invoked);
    stages.broker.add(now - entry.published);
  }
});
await subscriber.subscribeAsync("cryptoviz/price-feed/+/notify/data", { qos: 1 });

const storeConfig = readStoreConfig({ SEARCH_URL: search.url });
const store = createStoreContext(createSearchClient(storeConfig), storeConfig);
await ensureTemplates(store.client, storeConfig.indexPrefix);
let deadLetter = new SqsDeadLetterQueue(cloud.sqs, async () => { throw new Error("no phase running"); });
const dlqUrls: string[] = [];
const resolvePayload = s3PayloadResolver(cloud.s3);

const invocations = { n: 0, ms: 0, maxMs: 0, records: 0 };
async function consumer(_fn: string, event: SQSEvent) {
  const started = performance.now();
  const invoked = Date.now();
  const sentAt = new Map(event.Records.map((r) => [r.messageId, Number(r.attributes.SentTimestamp)]));
  invocations.n++;
  invocations.records += event.Records.length;
  try {
    const payload = await processQueueBatch<PricePayload>(event, {
      payloadSchemas: PRICE_PAYLOAD_SCHEMAS,
      deadLetter,
      resolvePayload,
      logger: quiet,
      handle: (messages: ConsumedMessage<PricePayload>[]) => {
        const tradeTs = new Map<string, TradeTiming[]>();
        for (const m of messages) {
          const sent = sentAt.get(m.messageId) ?? invoked;
          for (const t of (m.envelope.payload as MarketBatch).trades ?? []) {
            const topic = priceFeedDataTopic(t.base);
            let list = tradeTs.get(topic);
            if (!list) tradeTs.set(topic, (list = []));
            list.push({ ts: t.ts, sent, invoked });
          }
        }
        return consumeMarketMessages(messages, { store, notifier: tracingNotifier(notifier, tradeTs), logger: quiet });
      },
    });
    return { ok: true as const, payload };
  } catch (error) {
    return { ok: false as const, error: String(error) };
  } finally {
    const ms = performance.now() - started;
    invocations.ms += ms;
    invocations.maxMs = Math.max(invocations.maxMs, ms);
  }
}

// ---- sampling: queue depth, memory ----
const mem = { rss: 0, heap: 0, searchRss: 0 };
/** Highest one-second CPU use (cores) of this process and of the search process. */
const peakCpu = { self: 0, search: 0 };
let cpuMark = { at: performance.now(), self: process.cpuUsage(), search: 0 };
let depth = { visible: 0, inFlight: 0, max: 0 };
async function readDepth(): Promise<{ visible: number; inFlight: number }> {
  const r = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue!.url, AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"] }));
  return { visible: Number(r.Attributes?.ApproximateNumberOfMessages ?? 0), inFlight: Number(r.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0) };
}
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const m = process.memoryUsage();
    mem.rss = Math.max(mem.rss, m.rss);
    mem.heap = Math.max(mem.heap, m.heapUsed);
    mem.searchRss = Math.max(mem.searchRss, rssOfPid(search.pid));
    const now = performance.now();
    if (now - cpuMark.at >= 1000) {
      const s = (now - cpuMark.at) / 1000;
      const d = process.cpuUsage(cpuMark.self);
      const searchCpu = cpuOfPid(search.pid);
      peakCpu.self = Math.max(peakCpu.self, (d.user + d.system) / 1e6 / s);
      if (cpuMark.search > 0) peakCpu.search = Math.max(peakCpu.search, (searchCpu - cpuMark.search) / s);
      cpuMark = { at: now, self: process.cpuUsage(), search: searchCpu };
    }
    if (queue) try {
      const d = await readDepth();
      depth = { ...d, max: Math.max(depth.max, d.visible + d.inFlight) };
    } catch { /* the next sample will do */ }
    await sleep(200);
  }
})();

async function storedCounts(): Promise<{ trades: number; candleTrades: number }> {
  await store.client.indices.refresh({ index: `${storeConfig.indexPrefix}*` });
  const c = await store.client.count({ index: `${storeConfig.indexPrefix}trades-*` });
  const s = await store.client.search({
    index: `${storeConfig.indexPrefix}candles-1m-*`,
    body: { size: 0, query: { term: { exchange: "all" } }, aggs: { t: { sum: { field: "trades" } } } },
  });
  return { trades: (c.body as { count: number }).count, candleTrades: (s.body as unknown as { aggregations: { t: { value: number } } }).aggregations.t.value };
}

interface PhaseResult {
  offered: number;
  simSent: number;
  /** Trades the simulator made (sent or not): what a complete collector stores. */
  simMade: number;
  stats: CollectionStats;
  windowS: number;
  /** From the window start until every message enqueued in the phase was consumed and deleted. */
  e2eS: number;
  drainS: number;
  maxDepth: number;
  rss: number;
  heap: number;
  searchRss: number;
  stored: { trades: number; candleTrades: number };
  p50: number;
  p95: number;
  max: number;
  latencyN: number;
  /** p50/p95 ms of each stage of the latency. */
  stages: string;
  threadBusy: string;
  /** p95 ms of each 10 s of the phase. */
  windowP95: string;
  /** Cores used on average from the window start to the drain, by this process and by the search process. */
  cpu: { self: number; search: number; peakSelf: number; peakSearch: number };
  /** Trades consumed per second while the collector was reading, and after (drain). */
  consumedDuringWindow: number;
  consumedDuringDrain: number;
}

let lastEsm: EventSourceMapping["stats"] | undefined;
let before = { trades: 0, candleTrades: 0 };
/** The burst's simulator waits while the collector's socket holds this much (see startMarketSimulator). */
const BURST_PAUSE_BYTES = 4 * 1024 * 1024;
async function phase(name: string, perStream: number, seconds: number, concurrency: number, pauseAboveBufferedBytes?: number): Promise<PhaseResult> {
  const q = await freshPriceQueue(`price-tasks-${name}`);
  queue = q;
  dlqUrls.push(q.dlqUrl);
  deadLetter = new SqsDeadLetterQueue(cloud.sqs, async () => q.dlqUrl);
  hist = new Histogram();
  windows = [];
  phaseStartedAt = Date.now();
  stages = Object.fromEntries(STAGES.map((s) => [s, new Histogram()])) as typeof stages;
  Object.assign(mem, { rss: 0, heap: 0, searchRss: 0 });
  Object.assign(peakCpu, { self: 0, search: 0 });
  depth.max = 0;
  const esm: EventSourceMapping = new EventSourceMapping(
    cloud.sqs,
    { functionName: "consume-prices", queueUrl: q.url, queueArn: q.arn, batchSize: CONSUMER_BATCH, maximumBatchingWindowSeconds: CONSUMER_WINDOW, maximumConcurrency: concurrency, reportBatchItemFailures: true, region: "us-east-1" },
    consumer,
    { info() {}, warn: note },
  );
  Object.assign(invocations, { n: 0, ms: 0, maxMs: 0, records: 0 });
  esm.start();
  // Trading stops as the window ends, before the collector's end-of-window check of the
  // exchange's latest id, which therefore sees the last trade made: "lost" is counted against
  // all it made, and what was still in the socket's buffers is backfilled over REST.
  // REST limits beyond any exchange's, and history for the whole run: what is left in socket
  // buffers at the end (a burst) is filled over REST within the benchmark's window.
  const restLimit = { weight: 10_000_000, perMs: 60_000 };
  const simOptions = {
    port: 0, seed: "pipeline", symbols: PAIRS, tradesPerSecond: perStream, quotesPerSecond: 10, maxBufferedBytes: 512 * 1024 * 1024, pauseAboveBufferedBytes,
    historyLimit: Math.max(100_000, Math.ceil(perStream * seconds * 1.2)), historyMs: seconds * 1200 + 60_000, restLimits: { binance: restLimit, kucoin: restLimit, bitmex: restLimit },
  };
  const collectorEnv = {
    MARKET_EXCHANGES: EXCHANGE, [`MARKET_${EXCHANGE.toUpperCase()}_SYMBOLS`]: SYMBOLS, MARKET_WINDOW_MS: String(seconds * 1000),
    MARKET_BINANCE_MINI_TICKER: "false", MARKET_SHIP_CONCURRENCY: "8", MARKET_BATCH_MAX_MESSAGES: BATCH,
    [`MARKET_${EXCHANGE.toUpperCase()}_REST_LIMIT`]: `${restLimit.weight}/${restLimit.perMs}`, MARKET_BACKFILL_MAX_MS: "120000",
  };
  const STOP_BEFORE_END_MS = 0;
  let t0 = performance.now();
  let cpu0 = { self: process.cpuUsage(), search: cpuOfPid(search.pid) };
  let stats: CollectionStats;
  /** Event-loop utilisation of each thread of this process while the collector ran. */
  let threadBusy = "n/a (--same-thread)";
  let simSent: number;
  let simMade: number;
  let deletedAtFlush: number;
  let tFlushed: number;
  if (SAME_THREAD) {
    const sim: MarketSimulator = await startMarketSimulator(simOptions);
    t0 = performance.now();
    cpu0 = { self: process.cpuUsage(), search: cpuOfPid(search.pid) };
    const stop = setTimeout(() => sim.stopTrading(), seconds * 1000 - STOP_BEFORE_END_MS);
    stats = await runCollectionWindow(collectorConfig(sim, q.name, collectorEnv), collectorDeps(cloud, q.url), { remainingTimeMs: 3_600_000, correlationId: "pipeline-bench" });
    clearTimeout(stop);
    tFlushed = performance.now();
    deletedAtFlush = esm.stats.recordsDeleted;
    simSent = sim.stats().exchanges[EXCHANGE].tradesSent;
    simMade = Object.entries(sim.stats().tradesGeneratedBy).filter(([k]) => k.startsWith(`${EXCHANGE}:`)).reduce((n, [, v]) => n + v, 0);
    await sim.close();
  } else {
    const simulator = tsxWorker("./pipeline-simulator.worker.ts", simOptions);
    const simExited = new Promise((resolve) => simulator.once("exit", resolve));
    const simReady = await nextMessage<SimulatorReply & { type: "ready" }>(simulator, "ready");
    const worker = tsxWorker("./pipeline-collector.worker.ts", {
      endpoint: cloud.endpoint.url, queueName: q.name, queueUrl: q.url, simUrls: simReady.urls, env: collectorEnv,
    } satisfies CollectorJob);
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    const elu = () => ({ simulator: simulator.performance.eventLoopUtilization(), collector: worker.performance.eventLoopUtilization(), main: nodePerformance.eventLoopUtilization() });
    let elu0 = elu();
    const done = await new Promise<{ stats: CollectionStats; deleted: number; at: number }>((resolve, reject) => {
      worker.on("message", (m: { type: string; stats?: CollectionStats }) => {
        if (m.type === "ready") {
          setTimeout(() => simulator.postMessage({ type: "stop" } satisfies SimulatorRequest), seconds * 1000 - STOP_BEFORE_END_MS);
          t0 = performance.now();
          cpu0 = { self: process.cpuUsage(), search: cpuOfPid(search.pid) };
          elu0 = elu();
        } else if (m.type === "flushed") {
          const e = elu();
          threadBusy = (["simulator", "collector", "main"] as const)
            .map((k) => `${k} ${(100 * nodePerformance.eventLoopUtilization(e[k], elu0[k]).utilization).toFixed(0)} %`).join(", ");
          resolve({ stats: m.stats!, deleted: esm.stats.recordsDeleted, at: performance.now() });
        }
      });
      worker.once("error", reject);
      worker.once("exit", (code) => code !== 0 && reject(new Error(`collector worker exited ${code}`)));
    });
    stats = done.stats;
    deletedAtFlush = done.deleted;
    tFlushed = done.at;
    const sent = nextMessage<SimulatorReply & { type: "sent" }>(simulator, "sent");
    simulator.postMessage({ type: "sent", exchange: EXCHANGE } satisfies SimulatorRequest);
    ({ tradesSent: simSent, tradesMade: simMade } = await sent);
    // Terminated, not closed: after a burst its sockets hold a million or more unsent frames, and a
    // graceful close fails each one's write with its own error object, seconds of CPU that the
    // drain below would be charged with. The exchanges are other machines.
    await simulator.terminate();
    await Promise.all([exited, simExited]);
  }
  const deadline = Date.now() + 600_000;
  let lastLog = 0;
  while (esm.stats.recordsDeleted < stats.shipped.envelopes && Date.now() < deadline) {
    await sleep(20);
    if (process.env.PIPELINE_DEBUG && Date.now() - lastLog > 2000) {
      lastLog = Date.now();
      console.error(`debug: ${((performance.now() - t0) / 1000).toFixed(1)} s deleted ${esm.stats.recordsDeleted}/${stats.shipped.envelopes} ${JSON.stringify(esm.stats)} depth ${JSON.stringify(depth)}`);
    }
  }
  const tDrained = performance.now();
  const spent = process.cpuUsage(cpu0.self);
  const cpu = {
    self: (spent.user + spent.system) / 1e6 / ((tDrained - t0) / 1000), search: (cpuOfPid(search.pid) - cpu0.search) / ((tDrained - t0) / 1000),
    peakSelf: peakCpu.self, peakSearch: peakCpu.search,
  };
  await esm.stop();
  lastEsm = { ...esm.stats };
  console.log(`  [consumer: ${invocations.n} invocations, ${invocations.records} records, mean ${(invocations.ms / Math.max(1, invocations.n)).toFixed(0)} ms, max ${invocations.maxMs.toFixed(0)} ms; esm ${JSON.stringify(lastEsm)}]`);
  await sleep(500); // the last notify/data messages
  const total = await storedCounts();
  const stored = { trades: total.trades - before.trades, candleTrades: total.candleTrades - before.candleTrades };
  before = total;
  return {
    offered: perStream * PAIRS.length, simSent, simMade, stats, windowS: stats.windowMs / 1000,
    e2eS: (tDrained - t0) / 1000, drainS: (tDrained - tFlushed) / 1000, maxDepth: depth.max,
    rss: mem.rss, heap: mem.heap, searchRss: mem.searchRss, stored,
    p50: hist.q(0.5), p95: hist.q(0.95), max: hist.q(1), latencyN: hist.n, cpu,
    stages: STAGES.map((s) => `${s} ${stages[s].q(0.5)}/${stages[s].q(0.95)}`).join(", "),
    threadBusy,
    windowP95: windows.map((h, i) => `${i * 10}–${i * 10 + 10} s ${h?.q(0.95) ?? "-"}`).join(", "),
    consumedDuringWindow: (deletedAtFlush * tradesPerMessage(stats)) / ((tFlushed - t0) / 1000),
    consumedDuringDrain: ((stats.shipped.envelopes - deletedAtFlush) * tradesPerMessage(stats)) / ((tDrained - tFlushed) / 1000),
  };
}

const tradesPerMessage = (s: CollectionStats) => s.shipped.tradesEnqueued / Math.max(1, s.shipped.envelopes);

/** Counted against what the simulator made: a trade it made that is not stored is lost, whatever the reason. */
function accounting(r: PhaseResult): { ok: boolean; text: string } {
  const s = r.stats.exchanges[EXCHANGE]!;
  const g = r.stats.gaps?.[EXCHANGE];
  const enq = r.stats.shipped.tradesEnqueued;
  const ok = r.simMade === r.stored.trades && enq === r.stored.trades && r.stored.trades === r.stored.candleTrades;
  return {
    ok,
    text:
      `simulator made ${fmt(r.simMade)}, sent ${fmt(r.simSent)} → collector received ${fmt(s.tradesIn)} (reconnects ${s.reconnects}), ` +
      `backfilled ${fmt(g?.filled ?? 0)} over REST (${fmt(g?.restCalls ?? 0)} calls; pending ${fmt(g?.pendingTrades ?? 0)}, known lost ${fmt(g?.lost ?? 0)}) → enqueued ${fmt(enq)} ` +
      `in ${fmt(r.stats.shipped.envelopes)} messages → stored ${fmt(r.stored.trades)} distinct trades, 1m "all" candles count ${fmt(r.stored.candleTrades)}: ` +
      `lost ${fmt(r.simMade - r.stored.trades)}, double-counted ${fmt(Math.max(0, r.stored.candleTrades - r.stored.trades))}` +
      (r.simSent !== s.tradesIn ? ` (${fmt(r.simSent - s.tradesIn)} sent were still in socket buffers when the window closed: backfilled)` : ""),
  };
}

let failed = false;
try {
  console.log(`${EXCHANGE}, ${PAIRS.length} symbols, collector batches of ${BATCH} / 1 s, consumer batchSize ${CONSUMER_BATCH} / ${CONSUMER_WINDOW} s window; search endpoint in its own process`);
  // ---- sustained ----
  const a = await phase("sustained", RATE / PAIRS.length, SECONDS, CONCURRENCY);
  const sa = a.stats.exchanges[EXCHANGE]!;
  const e2eRate = a.stored.trades / a.e2eS;
  const acctA = accounting(a);
  failed ||= !acctA.ok;
  console.log(`\nsustained: offered ${fmt(a.offered)} trades/s for ${a.windowS} s, consumer concurrency ${CONCURRENCY}`);
  console.log(`  collector read ${fmt(sa.tradesIn / a.windowS)} trades/s; end to end ${fmt(e2eRate)} trades/s (${fmt(a.stored.trades)} stored in ${a.e2eS.toFixed(1)} s from window start to last delete) = ${(e2eRate / TARGET).toFixed(2)}× the 20,000 target`);
  console.log(`  ${acctA.text} ${acctA.ok ? "OK" : "MISMATCH"}`);
  console.log(`  latency exchange ts → notify/data at subscriber: p50 ${a.p50} ms, p95 ${a.p95} ms, max ${a.max} ms (${fmt(a.latencyN)} trades timed; target p95 ≤ 1500 ms)`);
  console.log(`  by stage, p50/p95 ms: ${a.stages}`);
  console.log(`  p95 ms per 10 s: ${a.windowP95}`);
  console.log(`  final flush ${(a.stats.elapsedMs - a.stats.windowMs)} ms, queue drained ${a.drainS.toFixed(1)} s after it; max queue depth ${fmt(a.maxDepth)}; collector paused ${a.stats.backpressure.pauses}× (${a.stats.backpressure.pausedMs} ms)`);
  console.log(`  consumer throughput: ${fmt(a.consumedDuringWindow)} trades/s while the collector ran, ${fmt(a.consumedDuringDrain)} trades/s draining after it; CPU: this process ${a.cpu.self.toFixed(2)} cores (peak second ${a.cpu.peakSelf.toFixed(2)}), search process ${a.cpu.search.toFixed(2)} cores (peak ${a.cpu.peakSearch.toFixed(2)}) of 2`);
  console.log(`  threads busy while the collector ran: ${a.threadBusy}`);
  console.log(`  bench process rss max ${(a.rss / 1e6).toFixed(0)} MB, heap max ${(a.heap / 1e6).toFixed(0)} MB; search process rss max ${(a.searchRss / 1e6).toFixed(0)} MB`);

  // ---- burst: 10× the rate the machine sustained end to end (never above 10× the requested rate) ----
  const sustained = Math.min(RATE, e2eRate);
  const burstRate = Math.round(10 * sustained);
  // No machine with two cores generates 10× and reads it too: the simulator produces only while
  // the collector keeps its socket under 4 MB, so the collector reads at its own full speed.
// `--burst-seconds=0`: the sustained phase alone.
  if (BURST_SECONDS > 0) {
    const b = await phase("burst", burstRate / PAIRS.length, BURST_SECONDS, BURST_CONCURRENCY, BURST_PAUSE_BYTES);
    const sb = b.stats.exchanges[EXCHANGE]!;
    const acctB = accounting(b);
    failed ||= !acctB.ok;
    console.log(`\nburst: offered ${fmt(b.offered)} trades/s (10× ${fmt(sustained)}) for ${b.windowS} s, consumer concurrency capped at ${BURST_CONCURRENCY}`);
    console.log(`  the simulator produced ${fmt(b.simSent / b.windowS)} trades/s of it, pausing while the collector's socket held more than ${BURST_PAUSE_BYTES / 1024 / 1024} MB`);
    console.log(`  collector read ${fmt(sb.tradesIn / b.windowS)} trades/s; max queue depth ${fmt(b.maxDepth)} messages; drained ${b.drainS.toFixed(1)} s after the collector's final flush (${b.e2eS.toFixed(1)} s from burst start)`);
    console.log(`  ${acctB.text} ${acctB.ok ? "OK" : "MISMATCH"}`);
    console.log(`  latency during the burst: p50 ${b.p50} ms, p95 ${b.p95} ms, max ${b.max} ms (${fmt(b.latencyN)} trades timed)`);
    console.log(`  by stage, p50/p95 ms: ${b.stages}`);
    console.log(`  event source mapping: ${JSON.stringify(lastEsm)}`);
    console.log(`  consumer throughput: ${fmt(b.consumedDuringWindow)} trades/s while the collector ran, ${fmt(b.consumedDuringDrain)} trades/s draining after it; CPU: this process ${b.cpu.self.toFixed(2)} cores (peak second ${b.cpu.peakSelf.toFixed(2)}), search process ${b.cpu.search.toFixed(2)} cores (peak ${b.cpu.peakSearch.toFixed(2)})`);
    console.log(`  bench (consumer) process rss max ${(b.rss / 1e6).toFixed(0)} MB, heap max ${(b.heap / 1e6).toFixed(0)} MB; search process rss max ${(b.searchRss / 1e6).toFixed(0)} MB`);
  }
  console.log(`\nnotify/data messages received ${fmt(dataMessages)}, unmatched ${unmatched}; notifier ${JSON.stringify(notifier.stats())}`);
  let dlqDepth = 0;
  for (const url of dlqUrls) {
    const r = await cloud.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }));
    dlqDepth += Number(r.Attributes?.ApproximateNumberOfMessages ?? 0);
  }
  console.log(`dead-lettered ${dlqDepth}`);
} finally {
  sampling = false;
  await sampler;
  await subscriber.endAsync(true);
  await notifier.close();
  await broker.close();
  await store.client.close();
  await cloud.close();
  await search.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
