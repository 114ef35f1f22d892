// API latency per route over 7 days of 1-minute data for 20 symbols (plus the
// 15m, 1h and 1d levels), the search endpoint in its own process as under
// `npm start`. Not part of `npm test`:
//   npm run bench -- api [--quick]
// Prints p50/p95 per route (handler called in-process, store over HTTP).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { createApiRouter } from "../lib/api/apiRouter.ts";
import { httpHandler } from "../lib/lambda/httpHandler.ts";
import { createLogger } from "../lib/lambda/logger.ts";
import { createSearchClient } from "../lib/adapters/opensearch/createSearchClient.ts";
import { candleDocId } from "../lib/store/documentIds.ts";
import { ensureTemplates } from "../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../lib/store/StoreConfig.ts";
import { createStoreContext } from "../lib/store/StoreContext.ts";
import { TIMEFRAME_MS, type Timeframe } from "../contracts/timeframes.ts";
import { lambdaContext } from "../test/helpers/lambdaContext.ts";

process.env.CRYPTOVIZ_LOG_LEVEL ??= "SILENT";
const quick = process.argv.includes("--quick");
const iterations = quick ? 50 : 200;
// The figure: 7 days × 20 symbols of 1-minute data; --quick loads one day.
const DAYS = quick ? 1 : 7;
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `C${String(i).padStart(2, "0")}USDT`);
const NOW = Date.parse("2026-11-22T10:20:15Z");
const START = NOW - DAYS * 86_400_000 - 3_600_000;

const SEARCH_MAIN = fileURLToPath(import.meta.resolve("@cryptoviz/local-search/main"));

async function startServer(dataDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", SEARCH_MAIN, "--port", "0", "--data-dir", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`search server exited ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { url: (JSON.parse(line) as { url: string }).url, stop: async () => { child.kill(); await exited; } };
}

const dataDir = mkdtempSync(join(tmpdir(), "api-bench-"));
const server = await startServer(dataDir);
try {
  const config = readStoreConfig({ SEARCH_URL: server.url });
  const store = createStoreContext(createSearchClient(config), config, () => NOW);
  await ensureTemplates(store.client, config.indexPrefix);

  let docs = 0;
  const t0 = performance.now();
  for (const tf of ["1m", "15m", "1h", "1d"] as Timeframe[]) {
    const step = TIMEFRAME_MS[tf];
    let body: unknown[] = [];
    const flush = async () => {
      if (body.length === 0) return;
      const r = await store.client.bulk({ body } as never);
      if ((r.body as { errors: boolean }).errors) throw new Error("bulk errors");
      body = [];
    };
    for (const symbol of SYMBOLS) {
      for (let b = Math.floor(START / step) * step; b < NOW; b += step) {
        const n = step / 60_000;
        const price = 100 + (b % 997);
        body.push({ index: { _index: store.names.candles(tf, b), _id: candleDocId("all", symbol, tf, b) } });
        body.push({ exchange: "all", symbol, timeframe: tf, bucketStart: b, open: price, high: price + 1, low: price - 1, close: price, volume: n, quoteVolume: n * price, trades: 3 * n, openTime: b, closeTime: b + step - 1, updatedAt: NOW });
        docs++;
        if (body.length >= 10_000) await flush();
      }
    }
    await flush();
  }
  const quotes: unknown[] = [];
  for (const symbol of SYMBOLS) for (const exchange of ["binance", "kucoin", "bitmex"]) {
    quotes.push({ index: { _index: store.names.quotes(), _id: `${exchange}|${symbol}` } }, { exchange, symbol, bid: 100, ask: 101, at: NOW - 500 });
  }
  await store.client.bulk({ body: quotes } as never);
  await store.client.indices.refresh({ index: `${config.indexPrefix}*` });
  console.log(`loaded ${docs} candles (${SYMBOLS.length} symbols × ${DAYS} days of 1m, 15m, 1h, 1d) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const handler = httpHandler(createApiRouter({ store, now: () => NOW }), { logger: createLogger("api") });
  const sample = JSON.parse(readFileSync("functions/api/event.json", "utf8")) as APIGatewayProxyEventV2;
  const routes: [string, Record<string, string>][] = [
    ["/transactions/last_6_hours", {}],
    ["/volume/last_6_hours", {}],
    ["/aggregated_stats/last_12_hours", {}],
    ["/trades/last_n_minutes", { symbol: "C07USDT", minutes: "60" }],
    ["/trades/last_n_minutes", { symbol: "C07USDT", minutes: "1440" }],
    ["/top_cryptos_last_hour", { top_n: "5" }],
    ["/price/current", { symbol: "C07USDT" }],
    ["/quotes", { symbol: "C07USDT" }],
    ["/candles", { symbol: "C07USDT", tf: "1m", from: String(NOW - 86_400_000), to: String(NOW) }],
    ["/candles", { symbol: "C07USDT", tf: "15m" }],
  ];
  for (const [path, query] of routes) {
    const event = { ...sample, rawPath: path, queryStringParameters: query, requestContext: { ...sample.requestContext, http: { ...sample.requestContext.http, path } } };
    const times: number[] = [];
    for (let i = 0; i < iterations + 20; i++) {
      const s = performance.now();
      const r = (await handler(event, lambdaContext("api"))) as APIGatewayProxyStructuredResultV2;
      const ms = performance.now() - s;
      if (r.statusCode !== 200) throw new Error(`${path}: ${r.statusCode} ${r.body}`);
      if (i >= 20) times.push(ms);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
    console.log(`${(path + (Object.keys(query).length ? "?" + new URLSearchParams(query) : "")).padEnd(95)} p50 ${p(0.5).padStart(6)} ms  p95 ${p(0.95).padStart(6)} ms`);
  }
  await store.client.close();
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
