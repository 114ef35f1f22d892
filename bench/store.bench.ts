// Write throughput of the store layer: trades/s through writeMarketBatch
// (trades stored + every candle of 8 timeframes × 2 scopes recomputed),
// with W concurrent writers pulling consumer-sized batches, like capped
// concurrent Lambda consumers. Verifies zero loss and zero double count.
//
//   npx tsx bench/store.bench.ts [--quick]
//   BENCH_TRADES=300000 BENCH_BATCH=5000 BENCH_WRITERS=2 BENCH_RATE=20000 npx tsx bench/store.bench.ts
//   OPENSEARCH_URL=http://localhost:9200 npx tsx bench/store.bench.ts     (a real cluster)
//
// The local endpoint runs in a child process by default (BENCH_SERVER=inprocess
// to share this process), so client and server each get a core.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSearchClient } from "../lib/adapters/opensearch/createSearchClient.ts";
import { ensureTemplates } from "../lib/store/ensureTemplates.ts";
import { createStoreContext } from "../lib/store/StoreContext.ts";
import { readStoreConfig } from "../lib/store/StoreConfig.ts";
import type { Keyed, MarketTrade } from "../lib/store/types.ts";
import { writeMarketBatch } from "../lib/store/writeMarketBatch.ts";
import { profileArgs } from "./profileArgs.ts";

const QUICK = process.argv.includes("--quick");
const N = Number(process.env.BENCH_TRADES ?? (QUICK ? 50_000 : 200_000));
const BATCH = Number(process.env.BENCH_BATCH ?? 10_000);
const WRITERS = Number(process.env.BENCH_WRITERS ?? 2);
const RATE = Number(process.env.BENCH_RATE ?? 20_000); // trades per second of simulated market time
const PER_MESSAGE = 100; // trades per SQS message (the collectors' batching rule)
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `C${i}USDT`);
const EXCHANGES = ["binance", "kucoin", "bitmex"];
const MAIN = fileURLToPath(import.meta.resolve("@cryptoviz/local-search/main"));

async function startServer(): Promise<{ url: string; stop(): Promise<void>; where: string }> {
  if (process.env.OPENSEARCH_URL) return { url: process.env.OPENSEARCH_URL, stop: async () => {}, where: "real cluster" };
  const dataDir = await mkdtemp(join(tmpdir(), "cryptoviz-store-bench-"));
  if (process.env.BENCH_SERVER === "inprocess") {
    const { startSearchServer } = await import("@cryptoviz/local-search");
    const s = await startSearchServer({ host: "127.0.0.1", port: 0, dataDir });
    return { url: s.url, where: "local endpoint, same process", stop: async () => { await s.close(); await rm(dataDir, { recursive: true, force: true }); } };
  }
  const child: ChildProcess = spawn(process.execPath, [...profileArgs(), "--import", "tsx", MAIN, "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve((JSON.parse(out.slice(0, nl)) as { url: string }).url);
    });
    child.on("exit", (code) => reject(new Error(`search server exited (${code})`)));
  });
  return {
    url,
    where: "local endpoint, child process",
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function trades(start: number): MarketTrade[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out: MarketTrade[] = [];
  for (let i = 0; i < N; i++) {
    out.push({
      exchange: EXCHANGES[i % EXCHANGES.length] as string,
      symbol: SYMBOLS[Math.floor(rnd() * SYMBOLS.length)] as string,
      tradeId: String(i),
      price: 100 + rnd(),
      size: rnd(),
      side: rnd() < 0.5 ? "buy" : "sell",
      time: start + Math.floor((i * 1000) / RATE),
    });
  }
  return out;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main() {
  const server = await startServer();
  const config = readStoreConfig(process.env, { endpoint: server.url, indexPrefix: `cvbench-${Date.now().toString(36)}-` });
  const client = createSearchClient(config);
  const start = Date.parse("2025-01-06T10:00:00Z");
  const ctx = createStoreContext(client, config, () => start + 3_600_000);
  await ensureTemplates(client, config.indexPrefix);
  const all = trades(start);
  const batches: Keyed<MarketTrade>[][] = [];
  for (let i = 0; i < all.length; i += BATCH) {
    batches.push(all.slice(i, i + BATCH).map((item, j) => ({ key: `m${Math.floor((i + j) / PER_MESSAGE)}`, item })));
  }
  const latencies: number[] = [];
  let conflicts = 0;
  let failed = 0;
  let searches = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] as Keyed<MarketTrade>[];
        const t = performance.now();
        const r = await writeMarketBatch(ctx, { trades: batch });
        latencies.push(performance.now() - t);
        conflicts += r.stats.candleConflicts;
        searches += r.stats.candleSearches;
        failed += r.failed.size;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;

  await client.indices.refresh({ index: `${config.indexPrefix}*` });
  const stored = (await client.count({ index: `${config.indexPrefix}trades-*` })).body as { count: number };
  const sum = await client.search({
    index: `${config.indexPrefix}candles-1m-*`,
    body: { size: 0, query: { term: { exchange: "all" } }, aggs: { n: { sum: { field: "trades" } } } } as never,
  });
  const counted = (sum.body as unknown as { aggregations: { n: { value: number } } }).aggregations.n.value;
  latencies.sort((a, b) => a - b);
  console.log(`store write bench (${server.where}): ${N} trades, ${SYMBOLS.length} symbols × ${EXCHANGES.length} exchanges, ` +
    `market time ${(N / RATE).toFixed(1)} s at ${RATE}/s, batches of ${BATCH}, ${WRITERS} concurrent writers`);
  console.log(`  throughput        ${(N / seconds).toFixed(0)} trades/s (${seconds.toFixed(1)} s)`);
  console.log(`  batch latency     p50 ${pct(latencies, 50).toFixed(0)} ms, p95 ${pct(latencies, 95).toFixed(0)} ms`);
  console.log(`  candle searches   ${searches}, OCC conflicts ${conflicts}, failed records ${failed}`);
  console.log(`  check             trades stored ${stored.count}, counted in all-scope 1m candles ${counted} (expected ${N})`);
  await client.close();
  await server.stop();
  if (stored.count !== N || counted !== N || failed !== 0) process.exitCode = 1;
}

await main();
