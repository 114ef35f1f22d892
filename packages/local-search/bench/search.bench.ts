// Benchmark of the local OpenSearch-compatible endpoint, through the official
// client, with the server in its own process (as under `npm start`):
//   npm run bench -- search [--quick]        from the repository root, or
//   npm run bench [-- --quick]               in packages/local-search
// with 1,000,000 candles (--quick: 100,000).
// Prints: bulk indexing rate, date_histogram + min/max/sum latency against
// scanning the same documents in this process with search_after, filtered
// terms top-N latency, and server memory per million documents.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@opensearch-project/opensearch";

export interface SearchBenchOptions {
  /** Candle documents for the aggregation figures. */
  candles: number;
  /** Small documents for the bulk indexing figure. */
  smallDocs: number;
  /** Timed repetitions per query. */
  iterations: number;
  log?: (line: string) => void;
}

export interface SearchBenchResult {
  bulkDocsPerSec: number;
  candleBulkDocsPerSec: number;
  aggP50Ms: number;
  aggP95Ms: number;
  scanMs: number;
  scanRatio: number;
  termsP50Ms: number;
  termsP95Ms: number;
  rssPerMillionMb: number;
  heapPerMillionMb: number;
  /** The aggregation and the in-process scan computed the same buckets. */
  aggMatchesScan: boolean;
  /** The terms top-N equals the one computed from the scanned documents. */
  termsMatchesScan: boolean;
  /** Time from process start to listening again, with every candle reloaded from disk. */
  restartMs: number;
}

const SYMBOLS = Array.from({ length: 25 }, (_, i) => `SYM${String(i).padStart(2, "0")}USDT`);
const EXCHANGES = ["binance", "kucoin"];
const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 1);

interface Server {
  url: string;
  child: ChildProcess;
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

async function startServer(dataDir: string): Promise<Server> {
  const main = fileURLToPath(new URL("../src/main.ts", import.meta.url));
  const child = fork(main, ["--port", "0", "--data-dir", dataDir], {
    execArgv: ["--import", "tsx", "--expose-gc", "--max-old-space-size=8192"],
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (c: Buffer) => {
      buf += c.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) resolve((JSON.parse(buf.slice(0, nl)) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`search server exited with ${code}`)));
  });
  return {
    url,
    child,
    memory: () =>
      new Promise((resolve) => {
        child.once("message", (m: { memory: NodeJS.MemoryUsage }) => resolve(m.memory));
        child.send({ cmd: "memory" });
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function timeQuery(iterations: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Bulk-loads documents with two requests in flight; returns docs/s. */
async function bulkLoad(client: Client, index: string, total: number, make: (i: number) => [string, Record<string, unknown>], batch = 5000): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const start = next;
      const end = Math.min(total, start + batch);
      next = end;
      const body: unknown[] = [];
      for (let i = start; i < end; i++) {
        const [id, doc] = make(i);
        body.push({ index: { _index: index, _id: id } }, doc);
      }
      const r = await client.bulk({ body: body as never });
      if ((r.body as { errors: boolean }).errors) throw new Error("bulk errors: " + JSON.stringify(r.body).slice(0, 300));
    }
  };
  await Promise.all([worker(), worker()]);
  return total / ((performance.now() - t0) / 1000);
}

function candle(i: number): [string, Record<string, unknown>] {
  const series = i % (SYMBOLS.length * EXCHANGES.length);
  const minute = Math.floor(i / (SYMBOLS.length * EXCHANGES.length));
  const symbol = SYMBOLS[series % SYMBOLS.length]!;
  const exchange = EXCHANGES[Math.floor(series / SYMBOLS.length)]!;
  const openTime = START + minute * MINUTE;
  const base = 100 + (series * 37) % 500 + Math.sin(minute / 50) * 10;
  const open = Math.round(base * 100) / 100;
  const close = Math.round((base + Math.cos(minute / 7)) * 100) / 100;
  const high = Math.max(open, close) + ((minute * 7) % 13) / 10;
  const low = Math.min(open, close) - ((minute * 11) % 17) / 10;
  const volume = ((minute * 31 + series * 17) % 1000) + 0.5;
  return [
    `${symbol}-${exchange}-1m-${openTime}`,
    { symbol, exchange, timeframe: "1m", openTime, open, high: Math.round(high * 100) / 100, low: Math.round(low * 100) / 100, close, volume, quoteVolume: Math.round(volume * close * 100) / 100, trades: (minute + series) % 300 },
  ];
}

const CANDLE_MAPPINGS = {
  properties: {
    symbol: { type: "keyword" },
    exchange: { type: "keyword" },
    timeframe: { type: "keyword" },
    openTime: { type: "date" },
    open: { type: "double" },
    high: { type: "double" },
    low: { type: "double" },
    close: { type: "double" },
    volume: { type: "double" },
    quoteVolume: { type: "double" },
    trades: { type: "long" },
  },
} as const;

type HistoBucket = { key: number; doc_count: number; lo: { value: number | null }; hi: { value: number | null }; vol: { value: number } };

export async function runSearchBench(opts: SearchBenchOptions): Promise<SearchBenchResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const dataDir = mkdtempSync(join(tmpdir(), "search-bench-"));
  let server = await startServer(dataDir);
  let client = new Client({ node: server.url });
  try {
    const mem0 = await server.memory();

    // 1. bulk indexing of small documents
    const small = (i: number): [string, Record<string, unknown>] => [`q${i}`, { symbol: SYMBOLS[i % SYMBOLS.length], exchange: EXCHANGES[i % 2], bid: 100 + (i % 997) / 10, ask: 100.1 + (i % 997) / 10, at: START + i * 1000 }];
    await client.indices.create({ index: "bench-small", body: { mappings: { properties: { symbol: { type: "keyword" }, exchange: { type: "keyword" }, bid: { type: "double" }, ask: { type: "double" }, at: { type: "date" } } } } });
    const bulkDocsPerSec = await bulkLoad(client, "bench-small", opts.smallDocs, small);
    log(`bulk indexing, small docs (${opts.smallDocs.toLocaleString("en")}): ${Math.round(bulkDocsPerSec).toLocaleString("en")} docs/s`);
    await client.indices.delete({ index: "bench-small" });

    // 2. candles
    const memBefore = await server.memory();
    await client.indices.create({ index: "bench-candles", body: { mappings: CANDLE_MAPPINGS } });
    const candleBulkDocsPerSec = await bulkLoad(client, "bench-candles", opts.candles, candle);
    await client.indices.refresh({ index: "bench-candles" });
    // a flush writes the snapshot now, so that memory is measured at rest
    await client.indices.flush({ index: "bench-candles" });
    log(`bulk indexing, candles (${opts.candles.toLocaleString("en")}): ${Math.round(candleBulkDocsPerSec).toLocaleString("en")} docs/s`);
    const memAfter = await server.memory();
    const perMillion = 1_000_000 / opts.candles;
    const rssPerMillionMb = ((memAfter.rss - memBefore.rss) * perMillion) / 1024 / 1024;
    // external includes the typed arrays and Buffers (columns, _source arena) outside the JS heap
    const heapPerMillionMb = ((memAfter.heapUsed + memAfter.external - memBefore.heapUsed - memBefore.external) * perMillion) / 1024 / 1024;
    const externalPerMillionMb = ((memAfter.external - memBefore.external) * perMillion) / 1024 / 1024;
    log(`server memory per million candles: RSS +${rssPerMillionMb.toFixed(0)} MB; heap+external +${heapPerMillionMb.toFixed(0)} MB, of which columns and _source buffers ${externalPerMillionMb.toFixed(0)} MB (idle server RSS ${(mem0.rss / 1024 / 1024).toFixed(0)} MB)`);

    // 3. date_histogram + min/max/sum over every candle
    const aggBody = {
      size: 0,
      aggs: { t: { date_histogram: { field: "openTime", fixed_interval: "1h" }, aggs: { lo: { min: { field: "low" } }, hi: { max: { field: "high" } }, vol: { sum: { field: "volume" } } } } },
    };
    let aggBuckets: HistoBucket[] = [];
    const agg = await timeQuery(opts.iterations, async () => {
      const r = await client.search({ index: "bench-candles", body: aggBody as never });
      aggBuckets = (r.body.aggregations as { t: { buckets: HistoBucket[] } }).t.buckets;
    });

    // 4. the same figures computed here from documents fetched with search_after
    const t0 = performance.now();
    const scanned = new Map<number, { n: number; lo: number; hi: number; vol: number }>();
    const fetched: { symbol: string; exchange: string; openTime: number; volume: number }[] = [];
    let after: unknown[] | undefined;
    let pages = 0;
    for (;;) {
      const r = await client.search({
        index: "bench-candles",
        body: { size: 10_000, sort: [{ openTime: "asc" }, { symbol: "asc" }, { exchange: "asc" }], _source: ["openTime", "low", "high", "volume", "symbol", "exchange"], track_total_hits: false, ...(after ? { search_after: after } : {}) } as never,
      });
      const hits = r.body.hits.hits;
      if (hits.length === 0) break;
      pages++;
      for (const h of hits) {
        const s = h._source as { openTime: number; low: number; high: number; volume: number; symbol: string; exchange: string };
        const key = Math.floor(s.openTime / 3_600_000) * 3_600_000;
        const b = scanned.get(key);
        if (b) {
          b.n++;
          if (s.low < b.lo) b.lo = s.low;
          if (s.high > b.hi) b.hi = s.high;
          b.vol += s.volume;
        } else scanned.set(key, { n: 1, lo: s.low, hi: s.high, vol: s.volume });
        fetched.push({ symbol: s.symbol, exchange: s.exchange, openTime: s.openTime, volume: s.volume });
      }
      after = hits[hits.length - 1]!.sort as unknown[];
    }
    const scanMs = performance.now() - t0;
    const aggMatchesScan =
      fetched.length === opts.candles &&
      aggBuckets.length === scanned.size &&
      aggBuckets.every((b) => {
        const s = scanned.get(b.key);
        return s !== undefined && s.n === b.doc_count && s.lo === b.lo.value && s.hi === b.hi.value && Math.abs(s.vol - b.vol.value) <= 1e-6 * Math.max(1, s.vol);
      });
    const scanRatio = scanMs / agg.p50;
    log(`date_histogram(1h) + min/max/sum over ${opts.candles.toLocaleString("en")} candles: p50 ${agg.p50.toFixed(1)} ms, p95 ${agg.p95.toFixed(1)} ms (${aggBuckets.length} buckets)`);
    log(`same figures by scanning in the benchmark process (search_after, ${pages} pages of 10,000): ${scanMs.toFixed(0)} ms -> aggregation is ${scanRatio.toFixed(1)}x faster; results identical: ${aggMatchesScan}`);

    // 5. filtered terms top-N
    const from = START + Math.floor((opts.candles / (SYMBOLS.length * EXCHANGES.length)) * 0.75) * MINUTE;
    const termsBody = {
      size: 0,
      query: { bool: { filter: [{ term: { exchange: "binance" } }, { range: { openTime: { gte: from } } }] } },
      aggs: { top: { terms: { field: "symbol", size: 10, order: { vol: "desc" } }, aggs: { vol: { sum: { field: "volume" } } } } },
    };
    let topKeys: string[] = [];
    const terms = await timeQuery(opts.iterations, async () => {
      const r = await client.search({ index: "bench-candles", body: termsBody as never });
      topKeys = (r.body.aggregations as { top: { buckets: { key: string }[] } }).top.buckets.map((b) => b.key);
    });
    const sums = new Map<string, number>();
    for (const f of fetched) if (f.exchange === "binance" && f.openTime >= from) sums.set(f.symbol, (sums.get(f.symbol) ?? 0) + f.volume);
    const expectTop = [...sums.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10).map((e) => e[0]);
    const termsMatchesScan = JSON.stringify(expectTop) === JSON.stringify(topKeys);
    log(`filtered terms top-10 by sum(volume): p50 ${terms.p50.toFixed(1)} ms, p95 ${terms.p95.toFixed(1)} ms; matches scan: ${termsMatchesScan}`);

    // 6. restart on the same data directory: snapshot + log replay
    await client.close();
    await server.stop();
    const r0 = performance.now();
    server = await startServer(dataDir);
    const restartMs = performance.now() - r0;
    client = new Client({ node: server.url });
    const reloaded = (await client.count({ index: "bench-candles" })).body.count;
    if (reloaded !== opts.candles) throw new Error(`restart reloaded ${reloaded} of ${opts.candles} candles`);
    log(`restart with ${opts.candles.toLocaleString("en")} candles on disk: ${(restartMs / 1000).toFixed(1)} s until listening`);

    return {
      restartMs,
      bulkDocsPerSec,
      candleBulkDocsPerSec,
      aggP50Ms: agg.p50,
      aggP95Ms: agg.p95,
      scanMs,
      scanRatio,
      termsP50Ms: terms.p50,
      termsP95Ms: terms.p95,
      rssPerMillionMb,
      heapPerMillionMb,
      aggMatchesScan,
      termsMatchesScan,
    };
  } finally {
    await client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes("--quick");
  const opts: SearchBenchOptions = quick ? { candles: 100_000, smallDocs: 100_000, iterations: 20 } : { candles: 1_000_000, smallDocs: 300_000, iterations: 40 };
  console.log(`search endpoint benchmark (${quick ? "quick" : "full"}), Node ${process.version}`);
  const r = await runSearchBench(opts);
  const checks: [string, boolean][] = [
    [`bulk indexing >= 50,000 docs/s (${Math.round(r.bulkDocsPerSec).toLocaleString("en")})`, r.bulkDocsPerSec >= 50_000],
    [`aggregation >= 10x faster than scanning (${r.scanRatio.toFixed(1)}x)`, r.scanRatio >= 10],
    [`aggregation p95 < 200 ms (${r.aggP95Ms.toFixed(1)} ms)`, r.aggP95Ms < 200],
    [`filtered terms top-N p95 < 50 ms (${r.termsP95Ms.toFixed(1)} ms)`, r.termsP95Ms < 50],
    ["aggregation equals the scan", r.aggMatchesScan && r.termsMatchesScan],
  ];
  for (const [label, ok] of checks) console.log(`${ok ? "PASS" : "FAIL"}  ${label}`);
  if (quick) console.log("(quick mode: targets are stated for 1,000,000 candles; run without --quick for the real figures)");
  process.exitCode = checks.every(([, ok]) => ok) ? 0 : 1;
}
