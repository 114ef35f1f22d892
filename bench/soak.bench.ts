// `npm run bench -- soak [--minutes=30] [--rate=20] [--retention-hours=1] [--news-every=20] [--api-every=5]`
//
// The demo as a user runs it, for as long as they would: `npm run demo`'s own
// path (the launcher, serverless offline, the local Lambda containers, the market
// simulator), on free ports and a data directory of its own. A dashboard-like
// client reads the API, an article arrives every few seconds, and every minute
// this prints each process's resident memory, the API's p95, invocation errors
// and the queues. Then the stack is stopped with Ctrl-C, started again without
// the simulator to drain its queues, and what was stored is counted against what
// was accepted: every article the webhook answered 202, and every distinct trade
// the collectors archived (= enqueued), counted once in the 1m candles.
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseArgs } from "node:util";
import { SQSClient } from "@aws-sdk/client-sqs";
import { Client } from "@opensearch-project/opensearch";
import { issueDevToken } from "../lib/auth/issueDevToken.ts";
import { QueueAdmin } from "../lib/adapters/aws/QueueAdmin.ts";
import type { MemorySample } from "../localcloud/logs/MemoryLog.ts";
import { startLauncher, type RunningLauncher } from "../test/helpers/launcher.ts";
import { freePorts } from "../test/helpers/freePorts.ts";
import { localCloudEnv } from "../test/helpers/localCloudEnv.ts";
import { sleep, waitFor } from "../test/helpers/waitFor.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    minutes: { type: "string", default: "30" },
    rate: { type: "string", default: "20" },
    "retention-hours": { type: "string" },
    "news-every": { type: "string", default: "20" },
    "api-every": { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
  },
});
const minutes = values.quick ? 2 : Number(values.minutes);
const rate = Number(values.rate);
const newsEveryMs = Number(values["news-every"]) * 1000;
const apiEveryMs = Number(values["api-every"]) * 1000;
const STREAMS = 8; // the demo's exchange+symbol streams: 3 Binance, 3 Kucoin, 2 Bitmex

const setup = await localCloudEnv();
// The simulator on a free port too, so a soak runs beside a user's own `npm run demo`.
const [simPort] = (await freePorts(1)) as [number];
const env: Record<string, string> = { CRYPTOVIZ_DEMO_RATE: String(rate), CRYPTOVIZ_LOG_LEVEL: "INFO", CRYPTOVIZ_MARKET_SIM_PORT: String(simPort) };
if (values["retention-hours"]) env.CRYPTOVIZ_TRADE_RETENTION_HOURS = values["retention-hours"];
const api = (path: string) => `http://127.0.0.1:${setup.ports.api}${path}`;
const search = new Client({ node: `http://127.0.0.1:${setup.ports.search}` });
const sqs = new SQSClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${setup.ports.sqsS3}`, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
const queues = new QueueAdmin(sqs, "cryptoviz-local-");
const logFile = join(setup.dataDir, "logs", "cryptoviz.log");

console.log(`soak: ${minutes} min of npm run demo at ${rate} trades/s per stream (${rate * STREAMS} trades/s offered), an article every ${newsEveryMs / 1000} s, the API read every ${apiEveryMs / 1000} s; data in ${setup.dataDir}`);
const t0 = Date.now();
let launcher: RunningLauncher = await startLauncher(setup, ["start", "--demo"], env);
console.log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
const token = await issueDevToken("local-dev-token-secret", { user: "soak", roles: ["dashboard"], ttl: 24 * 3600 });

// ---- load: articles and a dashboard-like reader ----
const acceptedArticles = new Set<string>();
let articleRefusals = 0;
let running = true;
const newsLoop = (async () => {
  for (let n = 0; running; n++) {
    try {
      const r = await fetch(api("/ingest/news"), {
        method: "POST",
        headers: { authorization: "Bearer local-ingest-token", "content-type": "application/json" },
        body: JSON.stringify({ source: "soak", items: [{ title: `Bitcoin and Ethereum soak report ${n}: ETF flows steady`, link: `https://soak.test/${t0}/${n}`, tags: ["BTC"] }] }),
        signal: AbortSignal.timeout(15_000),
      });
      if (r.status === 202) for (const id of ((await r.json()) as { ids: string[] }).ids) acceptedArticles.add(id);
      else articleRefusals++;
    } catch {
      articleRefusals++;
    }
    await sleep(newsEveryMs);
  }
})();

const READS = [
  "/markets", "/candles?symbol=BTCUSDT&tf=1m", "/news?limit=20", "/transactions/last_6_hours", "/volume/last_6_hours",
  "/aggregated_stats/last_12_hours", "/trades/last_n_minutes?symbol=BTCUSDT&minutes=10", "/top_cryptos_last_hour?top_n=5",
  "/price/current?symbol=BTCUSDT", "/sentiment?tag=BTC&tf=1h", "/quotes?symbol=ETHUSDT",
];
let latencies: number[] = [];
let apiErrors: string[] = [];
const apiLoop = (async () => {
  while (running) {
    // The dashboard's overview and statistics fire their requests together.
    await Promise.all(
      READS.map(async (path) => {
        const started = performance.now();
        try {
          const r = await fetch(api(path), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
          await r.arrayBuffer();
          latencies.push(performance.now() - started);
          if (r.status >= 500 || r.status === 401 || r.status === 403) apiErrors.push(`${path} ${r.status}`);
        } catch (error) {
          latencies.push(performance.now() - started);
          apiErrors.push(`${path} ${(error as Error).name}`);
        }
      }),
    );
    await sleep(apiEveryMs);
  }
})();

// ---- every minute: memory, API, errors, queues ----
function processes(): Array<{ label: string; rssMb: number }> {
  const marker = `CRYPTOVIZ_DATA_DIR=${setup.dataDir}`;
  const out: Array<{ label: string; rssMb: number }> = [];
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(marker)) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      const fn = args.find((a) => a.startsWith("functions/"))?.split("/")[1];
      const label = fn ? `λ ${fn}` : args.some((a) => a.endsWith("serverless.js")) ? "serverless offline" : args.some((a) => a.includes("localcloud/cli.ts")) ? "launcher + local cloud" : args.some((a) => a.includes("esbuild")) ? "esbuild" : args.slice(0, 2).join(" ");
      out.push({ label, rssMb: rssKb / 1024 });
    } catch {
      // the process ended while being read
    }
  }
  return out.sort((a, b) => a.label.localeCompare(b.label));
}

/** The launcher's last memory sample, split by part (indented labels, so they sort under the processes). */
function launcherParts(): Map<string, number> {
  const parts = new Map<string, number>();
  try {
    const last = readFileSync(join(setup.dataDir, "logs", "memory.jsonl"), "utf8").trim().split("\n").at(-1);
    if (!last) return parts;
    const m = JSON.parse(last) as MemorySample;
    parts.set("  launcher main", m.heap + m.external);
    for (const [name, t] of Object.entries(m.threads)) parts.set(`  launcher ${name}`, t.heap + t.external);
    parts.set("  launcher native", m.native);
  } catch {
    // no sample yet
  }
  return parts;
}

let logOffset = 0;
function newLogErrors(): string[] {
  try {
    const size = statSync(logFile).size;
    if (size < logOffset) logOffset = 0; // rotated
    const text = readFileSync(logFile).subarray(logOffset).toString("utf8");
    logOffset = size;
    return text.split("\n").filter((l) => / (ERROR|CRITICAL) |Unhandled exception|Failed to execute|Runtime exited|Task timed out/.test(l));
  } catch {
    return [];
  }
}

const p95 = (xs: number[]) => (xs.length === 0 ? NaN : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!);
const history: Array<{ minute: number; rss: Map<string, number> }> = [];
const errorsSeen: string[] = [];
let totalRequests = 0;
console.log("\nminute | API p95 ms (requests, errors) | invocation errors | queues news/price (in flight) dlq | trades stored | RSS MB per process");
for (let minute = 1; minute <= minutes; minute++) {
  await sleep(Math.max(0, t0 + minute * 60_000 - Date.now()));
  if (launcher.exitCode() !== undefined) {
    // Whatever ended it, the run is over: say how, with the launcher's last words.
    console.log(`\nthe launcher exited during minute ${minute} (code ${launcher.exitCode()}, signal ${launcher.exitSignal()}); its last output:`);
    console.log(launcher.output().split("\n").slice(-30).join("\n"));
    process.exitCode = 1;
    break;
  }
  const rss = new Map<string, number>();
  const containers = new Map<string, number>();
  for (const p of processes()) {
    rss.set(p.label, (rss.get(p.label) ?? 0) + p.rssMb);
    containers.set(p.label, (containers.get(p.label) ?? 0) + 1);
  }
  // The launcher's own split (localcloud/logs/MemoryLog.ts): which of its parts grows.
  const parts = launcherParts();
  for (const [label, mb] of parts) rss.set(label, mb);
  history.push({ minute, rss });
  const lat = latencies;
  const errs = apiErrors;
  latencies = [];
  apiErrors = [];
  totalRequests += lat.length;
  const invocationErrors = newLogErrors();
  errorsSeen.push(...invocationErrors);
  const list = await queues.list().catch(() => []);
  const q = (name: string) => list.find((x) => x.name === `cryptoviz-local-${name}`);
  const news = q("news-tasks");
  const price = q("price-tasks.fifo");
  const dlq = (news?.deadLetter?.depth ?? 0) + (price?.deadLetter?.depth ?? 0);
  const trades = await search.count({ index: "cryptoviz-trades-*" }).then((r) => r.body.count, () => NaN);
  const memory = [...rss].filter(([label]) => !label.startsWith("  ")).map(([label, mb]) => `${label}${(containers.get(label) ?? 1) > 1 ? ` (${containers.get(label)} containers)` : ""} ${mb.toFixed(0)}`).join(", ");
  console.log(
    `${String(minute).padStart(6)} | ${p95(lat).toFixed(0).padStart(6)} (${lat.length}, ${errs.length}) | ${String(invocationErrors.length).padStart(3)} | ` +
      `${news?.depth ?? "?"}/${price?.depth ?? "?"} (${(news?.inFlight ?? 0) + (price?.inFlight ?? 0)}) ${dlq} | ${trades} | ${memory}`,
  );
  if (parts.size > 0) console.log(`         launcher: ${[...parts].map(([label, mb]) => `${label.trim().replace(/^launcher /, "")} ${mb.toFixed(0)}`).join(", ")}`);
  for (const e of [...errs.slice(0, 3), ...invocationErrors.slice(0, 3)]) console.log(`         ! ${e.slice(0, 220)}`);
}

// ---- stop as a user does, drain, count ----
running = false;
await Promise.all([newsLoop, apiLoop]);
const stopStarted = Date.now();
const code = await launcher.stop(60_000);
console.log(`\nCtrl-C: exit code ${code} after ${((Date.now() - stopStarted) / 1000).toFixed(1)} s`);
launcher = await startLauncher(setup, ["start"], env);
await waitFor(
  "the queues to drain",
  async () => {
    const list = await queues.list();
    return list.filter((x) => x.name.endsWith("-tasks")).every((x) => x.depth === 0 && x.inFlight === 0);
  },
  600_000,
  2000,
);
await sleep(3000);

function archivedTrades(): Map<string, number> {
  const root = join(setup.dataDir, "s3-objects", "buckets", "cryptoviz-local-raw", "objects", "raw");
  const perExchange = new Map<string, Set<string>>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".jsonl.gz.data")) {
        for (const line of gunzipSync(readFileSync(path)).toString("utf8").split("\n")) {
          if (!line) continue;
          const r = JSON.parse(line) as { exchange?: string; symbol?: string; tradeId?: string };
          if (r.tradeId === undefined || !r.exchange) continue;
          let set = perExchange.get(r.exchange);
          if (!set) perExchange.set(r.exchange, (set = new Set()));
          set.add(`${r.symbol}|${r.tradeId}`);
        }
      }
    }
  };
  for (const exchange of ["binance", "kucoin", "bitmex"]) {
    try {
      walk(join(root, exchange));
    } catch {
      // none archived
    }
  }
  return new Map([...perExchange].map(([k, v]) => [k, v.size]));
}

await search.indices.refresh({ index: "cryptoviz-*" });
const candleTrades = await search.search({
  // The demo's 24 h of history are klines, not trades anyone accepted: count only minutes made from trades.
  index: "cryptoviz-candles-1m-*",
  body: { size: 0, query: { bool: { filter: [{ term: { timeframe: "1m" } }], must_not: [{ term: { origin: "klines" } }] } }, aggs: { exchanges: { terms: { field: "exchange", size: 20 }, aggs: { trades: { sum: { field: "trades" } } } } } },
} as never);
const stored = new Map(
  ((candleTrades.body.aggregations as { exchanges: { buckets: Array<{ key: string; trades: { value: number } }> } }).exchanges.buckets).map((b) => [b.key, b.trades.value]),
);
const archived = archivedTrades();
const articles = await search.search({ index: "cryptoviz-news-*", body: { size: 10_000, _source: false, query: { term: { source: "soak" } } } } as never);
const storedArticles = new Set((articles.body.hits.hits as Array<{ _id: string }>).map((h) => h._id));
const dlqs = (await queues.list()).filter((x) => x.name.endsWith("-dlq")).reduce((n, x) => n + x.depth, 0);
await launcher.stop(60_000);

console.log("\naccepted vs stored");
let allStored = true;
for (const exchange of ["binance", "kucoin", "bitmex"]) {
  const a = archived.get(exchange) ?? 0;
  const s = stored.get(exchange) ?? 0;
  allStored &&= a === s;
  console.log(`  ${exchange.padEnd(8)} trades archived (accepted) ${a}, counted in 1m candles ${s}${a === s ? "" : "  ← MISMATCH"}`);
}
// A news message id is the first half of the stored article's id (both hash the canonical URL).
const missingArticles = [...acceptedArticles].filter((id) => ![...storedArticles].some((s) => s.startsWith(id)));
console.log(`  articles accepted ${acceptedArticles.size} (refused or failed ${articleRefusals}), stored ${storedArticles.size}, missing ${missingArticles.length}`);
console.log(`  dead-lettered ${dlqs}; invocation errors ${errorsSeen.length}; API requests ${totalRequests}`);

console.log("\nRSS per process, MB: first minute / half time / last minute / max, and the slope over the second half");
const labels = [...new Set(history.flatMap((h) => [...h.rss.keys()]))].sort();
const half = history.slice(Math.floor(history.length / 2));
for (const label of labels) {
  const series = history.map((h) => h.rss.get(label) ?? 0);
  const secondHalf = half.map((h) => h.rss.get(label) ?? 0);
  const slope = secondHalf.length > 1 ? (secondHalf.at(-1)! - secondHalf[0]!) / (secondHalf.length - 1) : 0;
  console.log(
    `  ${label.padEnd(24)} ${series[0]!.toFixed(0).padStart(5)} / ${series[Math.floor(series.length / 2)]!.toFixed(0).padStart(5)} / ${series.at(-1)!.toFixed(0).padStart(5)} / ${Math.max(...series).toFixed(0).padStart(5)}   ${slope >= 0 ? "+" : ""}${slope.toFixed(1)} MB/min`,
  );
}
sqs.destroy();
await search.close();
if (!values.keep) rmSync(setup.dataDir, { recursive: true, force: true });
const ok = allStored && missingArticles.length === 0 && dlqs === 0;
console.log(ok ? "\nstored = accepted" : "\nSTORED ≠ ACCEPTED");
process.exit(ok ? 0 : 1);
