// Integration: every route against the local search endpoint, with a trade
// set that spans hour/minute boundaries and midnight, several symbols and
// exchanges, and a fixed `now`. Expected answers are computed here from the
// trade list itself, not from the store's candles.
import type { Client } from "@opensearch-project/opensearch";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { startSearchServer } from "@cryptoviz/local-search";
import { createApiRouter } from "../../lib/api/apiRouter.ts";
import { tickSizeOf } from "../../lib/market/exchanges/tickSizes.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";
import type { EnrichedArticle, QuoteDoc, MarketTrade } from "../../lib/store/types.ts";
import { writeMarketBatch } from "../../lib/store/writeMarketBatch.ts";
import { writeNews } from "../../lib/store/writeNews.ts";
import { lambdaContext } from "../helpers/lambdaContext.ts";
import { rng } from "../helpers/rng.ts";

process.env.CRYPTOVIZ_LOG_LEVEL ??= "SILENT";

const HOUR = 3_600_000;
const MIN = 60_000;
const t = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();
// 03:20:15.5 UTC: the 6-hour and 12-hour windows cross midnight.
const NOW = t("2026-11-22T03:20:15.500Z");
const H = t("2026-11-22T03:00:00Z");
const M = t("2026-11-22T03:20:00Z");
const ORIGIN = "https://dashboard.example";

const SYMBOLS: Record<string, number> = { BTCUSDT: 90_000, ETHUSDT: 3_000, SOLUSDT: 150, ADAUSDT: 0.5 };
const EXCHANGES = ["binance", "kucoin", "bitmex"];

function buildTrades(): MarketTrade[] {
  const rand = rng(42);
  const trades: MarketTrade[] = [];
  let id = 0;
  const push = (exchange: string, symbol: string, time: number) => {
    const base = SYMBOLS[symbol] ?? 1;
    trades.push({
      exchange,
      symbol,
      tradeId: `t${id++}`,
      price: Math.round(base * (0.95 + rand() * 0.1) * 1e4) / 1e4,
      size: Math.round((0.001 + rand() * 3) * 1e6) / 1e6,
      time,
    });
  };
  const start = NOW - 14 * HOUR;
  for (let i = 0; i < 1800; i++) {
    const symbol = Object.keys(SYMBOLS)[i % 4]!;
    push(EXCHANGES[Math.floor(rand() * 3)]!, symbol, start + Math.floor(rand() * (NOW - start)));
  }
  // Edges, one ms either side of every boundary that matters.
  for (const edge of [
    "2026-11-21T19:59:59.999Z", "2026-11-21T20:00:00.000Z", // 6-hour window start
    "2026-11-21T23:59:59.999Z", "2026-11-22T00:00:00.000Z", // midnight
    "2026-11-22T01:59:59.999Z", "2026-11-22T02:00:00.000Z", // 6-hour window end / previous hour start
    "2026-11-22T02:59:59.999Z", "2026-11-22T03:00:00.000Z", // previous hour end / current hour start
    "2026-11-21T14:59:59.999Z", "2026-11-21T15:00:00.000Z", // 12-hour window start
    "2026-11-22T03:12:59.999Z", "2026-11-22T03:13:00.000Z", // 7-minute window start
    "2026-11-22T03:19:59.999Z", "2026-11-22T03:20:00.000Z", // current minute start
  ]) {
    for (const ex of EXCHANGES) push(ex, "BTCUSDT", t(edge));
  }
  // DOGEUSDT: known (traded two days ago) but quiet now.
  push("binance", "DOGEUSDT", NOW - 2 * 24 * HOUR);
  return trades;
}

const TRADES = buildTrades();

const QUOTES: QuoteDoc[] = [
  { exchange: "binance", symbol: "BTCUSDT", bid: 90_000, ask: 90_010, bidSize: 1, askSize: 2, last: 90_005, at: NOW - 1500 },
  { exchange: "kucoin", symbol: "BTCUSDT", bid: 90_004, ask: 90_012, at: NOW - 800 },
  { exchange: "bitmex", symbol: "BTCUSDT", bid: 89_990, ask: 90_006, last: 90_000, at: NOW - 3000 },
  { exchange: "binance", symbol: "ETHUSDT", bid: 3000, ask: 3001, at: NOW - 500 },
];

const NEWS: EnrichedArticle[] = [
  { url: "https://news.example/a", title: "Exchange drained in hack", source: "wire", publishedAt: iso(NOW - 3 * HOUR - 5 * MIN), coins: ["BTC"], summary: "Hackers drained hot wallets.", sentiment: { label: "negative", score: -0.8 } },
  { url: "https://news.example/b", title: "Bitcoin ETF inflows rise", source: "wire", publishedAt: iso(NOW - 3 * HOUR - 20 * MIN), coins: ["BTC", "ETH"], sentiment: { label: "positive", score: 0.6 } },
  { url: "https://news.example/c", title: "Ether upgrade scheduled", source: "blog", publishedAt: iso(NOW - 30 * MIN), coins: ["ETH"], tags: ["upgrades"], sentiment: { label: "neutral", score: 0.1 } },
  { url: "https://news.example/d", title: "Bitcoin miners sell after hack scare", source: "blog", publishedAt: iso(NOW - 10 * MIN), coins: ["BTC"], sentiment: { label: "negative", score: -0.4 } },
];

// ---- the reference: straight from the trade list ----
interface Sum { trades: number; volume: number; quoteVolume: number }
function sum(from: number, to: number, symbol?: string): Sum {
  const out = { trades: 0, volume: 0, quoteVolume: 0 };
  for (const tr of TRADES) {
    if (tr.time < from || tr.time >= to || (symbol !== undefined && tr.symbol !== symbol)) continue;
    out.trades++;
    out.volume += tr.size;
    out.quoteVolume += tr.price * tr.size;
  }
  return out;
}
const symbolsIn = (from: number, to: number) => [...new Set(TRADES.filter((tr) => tr.time >= from && tr.time < to).map((tr) => tr.symbol))].sort();

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

// ---- the handler ----
let server: Awaited<ReturnType<typeof startSearchServer>>;
let store: StoreContext<Client>;
let dataDir: string;
let handler: ReturnType<typeof httpHandler>;
const sample = JSON.parse(readFileSync("functions/api/event.json", "utf8")) as APIGatewayProxyEventV2;

function event(path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const rawQueryString = new URLSearchParams(query).toString();
  return {
    ...sample,
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString,
    headers: { ...sample.headers, ...headers },
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: { ...sample.requestContext, routeKey: `GET ${path}`, http: { ...sample.requestContext.http, method: "GET", path } },
  };
}

async function call(path: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const r = (await handler(event(path, query, headers), lambdaContext("api"))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, headers: r.headers ?? {}, body: JSON.parse(String(r.body)) as Record<string, any> };
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "api-test-"));
  server = await startSearchServer({ port: 0, dataDir });
  const config = readStoreConfig({ SEARCH_URL: server.url });
  store = createStoreContext(createSearchClient(config), config, () => NOW);
  await ensureTemplates(store.client, config.indexPrefix);
  for (let i = 0; i < TRADES.length; i += 500) {
    const batch = TRADES.slice(i, i + 500).map((item) => ({ key: `${item.exchange}|${item.tradeId}`, item }));
    const result = await writeMarketBatch(store, { trades: batch });
    assert.equal(result.failed.size, 0, [...result.failed.values()].map(String).join("; "));
  }
  const q = await writeMarketBatch(store, { quotes: QUOTES.map((item, i) => ({ key: `q${i}`, item })) });
  assert.equal(q.failed.size, 0);
  const n = await writeNews(store, NEWS.map((item, i) => ({ key: `n${i}`, item })));
  assert.equal(n.failed.size, 0);
  await store.client.indices.refresh({ index: `${config.indexPrefix}*` });
  handler = httpHandler(createApiRouter({ store, now: () => NOW }), { allowedOrigins: [ORIGIN], logger: createLogger("api") });
});

after(async () => {
  await store?.client.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("read-side API (integration, fixed now 2026-11-22T03:20:15.5Z)", () => {
  it("GET /transactions/last_6_hours: trades per coin per hour in [H-7h, H-1h)", async () => {
    const { status, body } = await call("/transactions/last_6_hours");
    assert.equal(status, 200);
    assert.equal(body.from, "2026-11-21T20:00:00.000Z");
    assert.equal(body.to, "2026-11-22T02:00:00.000Z");
    const hours = Array.from({ length: 6 }, (_, i) => H - 7 * HOUR + i * HOUR);
    assert.deepEqual(body.hours, hours.map(iso));
    assert.deepEqual(body.coins.map((c: any) => c.symbol), symbolsIn(H - 7 * HOUR, H - HOUR));
    for (const coin of body.coins) {
      assert.equal(coin.trades, sum(H - 7 * HOUR, H - HOUR, coin.symbol).trades, coin.symbol);
      assert.deepEqual(coin.hourly, hours.map((h) => ({ hour: iso(h), trades: sum(h, h + HOUR, coin.symbol).trades })));
    }
  });

  it("GET /volume/last_6_hours: base and quote volume per coin, same window", async () => {
    const { status, body } = await call("/volume/last_6_hours");
    assert.equal(status, 200);
    assert.deepEqual([body.from, body.to], ["2026-11-21T20:00:00.000Z", "2026-11-22T02:00:00.000Z"]);
    assert.deepEqual(body.coins.map((c: any) => c.symbol), symbolsIn(H - 7 * HOUR, H - HOUR));
    for (const coin of body.coins) {
      const want = sum(H - 7 * HOUR, H - HOUR, coin.symbol);
      assert.equal(coin.trades, want.trades);
      close(coin.volume, want.volume, `${coin.symbol} volume`);
      close(coin.quoteVolume, want.quoteVolume, `${coin.symbol} quoteVolume`);
    }
  });

  it("GET /aggregated_stats/last_12_hours: trades and volume per hour in [H-12h, H)", async () => {
    const { status, body } = await call("/aggregated_stats/last_12_hours");
    assert.equal(status, 200);
    assert.deepEqual([body.from, body.to], ["2026-11-21T15:00:00.000Z", "2026-11-22T03:00:00.000Z"]);
    assert.equal(body.hours.length, 12);
    body.hours.forEach((hour: any, i: number) => {
      const h = H - 12 * HOUR + i * HOUR;
      assert.equal(hour.hour, iso(h));
      const want = sum(h, h + HOUR);
      assert.equal(hour.trades, want.trades, hour.hour);
      close(hour.quoteVolume, want.quoteVolume, `${hour.hour} quoteVolume`);
      assert.deepEqual(hour.coins.map((c: any) => c.symbol), symbolsIn(h, h + HOUR));
      for (const c of hour.coins) {
        const w = sum(h, h + HOUR, c.symbol);
        assert.equal(c.trades, w.trades);
        close(c.volume, w.volume, `${hour.hour} ${c.symbol} volume`);
      }
    });
  });

  it("GET /trades/last_n_minutes: [M - N min, M), symbol case-insensitive", async () => {
    for (const minutes of [1, 7, 60, 1440]) {
      const { status, body } = await call("/trades/last_n_minutes", { symbol: "btcusdt", minutes: String(minutes) });
      assert.equal(status, 200);
      assert.deepEqual([body.from, body.to, body.symbol, body.minutes], [iso(M - minutes * MIN), iso(M), "BTCUSDT", minutes]);
      const want = sum(M - minutes * MIN, M, "BTCUSDT");
      assert.equal(body.trades, want.trades, `${minutes} minutes`);
      close(body.volume, want.volume, "volume");
      close(body.quoteVolume, want.quoteVolume, "quoteVolume");
      const minutesWithTrades = new Set(TRADES.filter((tr) => tr.symbol === "BTCUSDT" && tr.time >= M - minutes * MIN && tr.time < M).map((tr) => Math.floor(tr.time / MIN)));
      assert.equal(body.minutesWithTrades, minutesWithTrades.size);
      // Every minute of the window, in order, each with its own trades.
      assert.equal(body.minutely.length, minutes);
      body.minutely.forEach((m: { minute: string; trades: number; volume: number }, i: number) => {
        const start = M - (minutes - i) * MIN;
        assert.equal(m.minute, iso(start));
        const one = sum(start, start + MIN, "BTCUSDT");
        assert.equal(m.trades, one.trades, m.minute);
        close(m.volume, one.volume, `${m.minute} volume`);
      });
    }
    // The 7-minute window holds the edge trades at 03:13:00.000 and 03:19:59.999, not 03:12:59.999 or 03:20:00.000.
    assert.ok(sum(M - 7 * MIN, M, "BTCUSDT").trades >= 6);
  });

  it("GET /trades/last_n_minutes: a known but quiet symbol is 200 with zeros; an unknown one is 404", async () => {
    const quiet = await call("/trades/last_n_minutes", { symbol: "DOGEUSDT", minutes: "30" });
    assert.equal(quiet.status, 200);
    assert.deepEqual([quiet.body.trades, quiet.body.volume, quiet.body.quoteVolume], [0, 0, 0]);
    const unknown = await call("/trades/last_n_minutes", { symbol: "XRPUSDT", minutes: "30" });
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: "not_found", message: "no data for symbol XRPUSDT", field: "symbol" });
  });

  it("GET /top_cryptos_last_hour: top N by quote volume in the previous hour [H-1h, H)", async () => {
    const ranking = symbolsIn(H - HOUR, H)
      .map((symbol) => ({ symbol, ...sum(H - HOUR, H, symbol) }))
      .sort((a, b) => b.quoteVolume - a.quoteVolume);
    for (const topN of [2, 100]) {
      const { status, body } = await call("/top_cryptos_last_hour", { top_n: String(topN) });
      assert.equal(status, 200);
      assert.deepEqual([body.from, body.to, body.topN], ["2026-11-22T02:00:00.000Z", "2026-11-22T03:00:00.000Z", topN]);
      const want = ranking.slice(0, topN);
      assert.deepEqual(body.coins.map((c: any) => [c.rank, c.symbol]), want.map((c, i) => [i + 1, c.symbol]));
      body.coins.forEach((c: any, i: number) => {
        assert.equal(c.trades, want[i]!.trades);
        close(c.quoteVolume, want[i]!.quoteVolume, `${c.symbol} quoteVolume`);
      });
    }
    const byDefault = await call("/top_cryptos_last_hour");
    assert.equal(byDefault.body.topN, 10);
  });

  it("GET /price/current: buy = lowest ask, sell = highest bid across exchanges, with quote times", async () => {
    const { status, body } = await call("/price/current", { symbol: "BTCUSDT" });
    assert.equal(status, 200);
    const btc = QUOTES.filter((q) => q.symbol === "BTCUSDT");
    const bestAsk = btc.reduce((a, b) => (b.ask < a.ask ? b : a));
    const bestBid = btc.reduce((a, b) => (b.bid > a.bid ? b : a));
    assert.deepEqual(body.buy, { price: bestAsk.ask, exchange: bestAsk.exchange, at: iso(bestAsk.at) });
    assert.deepEqual(body.sell, { price: bestBid.bid, exchange: bestBid.exchange, at: iso(bestBid.at) });
    assert.deepEqual(body.buy.exchange, "bitmex");
    assert.deepEqual(body.sell.exchange, "kucoin");
    assert.equal(body.asOf, iso(Math.max(...btc.map((q) => q.at))));
    assert.deepEqual(body.exchanges.map((e: any) => [e.exchange, e.bid, e.ask, e.at, e.ageMs]), [...btc]
      .sort((a, b) => a.exchange.localeCompare(b.exchange))
      .map((q) => [q.exchange, q.bid, q.ask, iso(q.at), NOW - q.at]));
    assert.equal((await call("/price/current", { symbol: "DOGEUSDT" })).status, 404, "no quotes → 404");
  });

  it("GET /quotes: latest quote per exchange, one symbol or all", async () => {
    const one = await call("/quotes", { symbol: "ethusdt" });
    assert.equal(one.status, 200);
    assert.deepEqual(one.body.quotes.map((q: any) => [q.symbol, q.exchange, q.bid, q.ask]), [["ETHUSDT", "binance", 3000, 3001]]);
    const all = await call("/quotes");
    assert.equal(all.body.quotes.length, QUOTES.length);
    assert.equal((await call("/quotes", { symbol: "XRPUSDT" })).status, 404);
  });

  it("GET /candles: OHLCV of buckets in [from, to), across exchanges", async () => {
    const from = t("2026-11-21T22:00:00Z");
    const to = t("2026-11-22T02:00:00Z");
    const { status, body } = await call("/candles", { symbol: "ethusdt", tf: "15m", from: iso(from), to: String(to) });
    assert.equal(status, 200);
    assert.deepEqual([body.from, body.to, body.symbol, body.timeframe, body.exchange], [iso(from), iso(to), "ETHUSDT", "15m", "all"]);
    const expected: any[] = [];
    for (let b = from; b < to; b += 15 * MIN) {
      const inB = TRADES.filter((tr) => tr.symbol === "ETHUSDT" && tr.time >= b && tr.time < b + 15 * MIN).sort((x, y) => x.time - y.time);
      if (inB.length === 0) continue;
      expected.push({
        bucketStart: b,
        open: inB[0]!.price,
        close: inB[inB.length - 1]!.price,
        high: Math.max(...inB.map((x) => x.price)),
        low: Math.min(...inB.map((x) => x.price)),
        trades: inB.length,
        volume: inB.reduce((s, x) => s + x.size, 0),
      });
    }
    assert.ok(expected.length > 8);
    assert.deepEqual(body.candles.map((c: any) => c.bucketStart), expected.map((c) => c.bucketStart));
    body.candles.forEach((c: any, i: number) => {
      const w = expected[i];
      assert.deepEqual([c.time, c.open, c.close, c.high, c.low, c.trades], [iso(w.bucketStart), w.open, w.close, w.high, w.low, w.trades]);
      close(c.volume, w.volume, `${c.time} volume`);
    });
    const empty = await call("/candles", { symbol: "DOGEUSDT", tf: "1h", from: iso(from), to: iso(to) });
    assert.deepEqual([empty.status, empty.body.candles], [200, []]);
    assert.equal((await call("/candles", { symbol: "XRPUSDT", tf: "1h" })).status, 404);
  });

  it("400 names the parameter at fault", async () => {
    const cases: [string, Record<string, string>, string][] = [
      ["/trades/last_n_minutes", { minutes: "5" }, "symbol"],
      ["/trades/last_n_minutes", { symbol: "BTC-USDT", minutes: "5" }, "symbol"],
      ["/trades/last_n_minutes", { symbol: "BTCUSDT" }, "minutes"],
      ["/trades/last_n_minutes", { symbol: "BTCUSDT", minutes: "1441" }, "minutes"],
      ["/top_cryptos_last_hour", { top_n: "0" }, "top_n"],
      ["/price/current", {}, "symbol"],
      ["/candles", { symbol: "BTCUSDT", tf: "2h" }, "tf"],
      ["/candles", { symbol: "BTCUSDT", tf: "1m", from: "2026-11-22T02:00:00Z", to: "2026-11-22T01:00:00Z" }, "from"],
      ["/candles", { symbol: "BTCUSDT", tf: "1m", from: "0" }, "to"],
      ["/candles", { symbol: "BTCUSDT", tf: "1m", to: "tomorrow" }, "to"],
      ["/quotes", { symbol: "x" }, "symbol"],
    ];
    for (const [path, query, field] of cases) {
      const r = await call(path, query);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(query)}`);
      assert.equal(r.body.error, "invalid_request");
      assert.equal(r.body.field, field, `${path} ${JSON.stringify(query)}`);
    }
  });

  it("CORS: the allowed origin is echoed on answers and errors; others get none", async () => {
    const ok = await call("/quotes", { symbol: "BTCUSDT" }, { origin: ORIGIN });
    assert.equal(ok.headers["access-control-allow-origin"], ORIGIN);
    assert.equal(ok.headers.vary, "origin");
    const bad = await call("/price/current", {}, { Origin: ORIGIN });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers["access-control-allow-origin"], ORIGIN);
    const missing = await call("/nope", {}, { origin: ORIGIN });
    assert.deepEqual([missing.status, missing.headers["access-control-allow-origin"]], [404, ORIGIN]);
    const other = await call("/quotes", {}, { origin: "https://evil.example" });
    assert.equal(other.headers["access-control-allow-origin"], undefined);
  });

  it("GET /markets: 24h figures per symbol from the trades in [H-23h, H+1h), best bid/ask across exchanges", async () => {
    const { status, body } = await call("/markets");
    assert.equal(status, 200);
    const from = H - 23 * HOUR;
    const to = H + HOUR;
    assert.deepEqual([body.from, body.to], [iso(from), iso(to)]);
    assert.deepEqual(body.markets.map((m: any) => m.symbol), [...new Set([...symbolsIn(from, to), ...QUOTES.map((x) => x.symbol)])].sort());
    for (const m of body.markets) {
      const trades = TRADES.filter((tr) => tr.symbol === m.symbol && tr.time >= from && tr.time < to);
      const expected = sum(from, to, m.symbol);
      close(m.volume24h, expected.volume, `${m.symbol} volume24h`);
      close(m.quoteVolume24h, expected.quoteVolume, `${m.symbol} quoteVolume24h`);
      assert.equal(m.trades24h, expected.trades, m.symbol);
      assert.equal(m.high24h, Math.max(...trades.map((tr) => tr.price)), m.symbol);
      assert.equal(m.low24h, Math.min(...trades.map((tr) => tr.price)), m.symbol);
      const lastTime = Math.max(...trades.map((tr) => tr.time));
      assert.ok(trades.filter((tr) => tr.time === lastTime).some((tr) => tr.price === m.last), `${m.symbol} last`);
      const firstTime = Math.min(...trades.map((tr) => tr.time));
      assert.ok(trades.filter((tr) => tr.time === firstTime).some((tr) => tr.price === m.open24h), `${m.symbol} open24h`);
      close(m.change24h, (m.last - m.open24h) / m.open24h, `${m.symbol} change24h`);
      assert.equal(m.sparkline.length, new Set(trades.map((tr) => Math.floor(tr.time / HOUR))).size, `${m.symbol} one close per hour with trades`);
      assert.equal(m.sparkline[m.sparkline.length - 1], m.last);
      // The price step the dashboard formats with: known for the listed majors, absent otherwise.
      assert.equal(m.tickSize, tickSizeOf(m.symbol), `${m.symbol} tickSize`);
      const quotes = QUOTES.filter((x) => x.symbol === m.symbol);
      assert.equal(m.bid, quotes.length ? Math.max(...quotes.map((x) => x.bid)) : undefined, `${m.symbol} bid`);
      assert.equal(m.ask, quotes.length ? Math.min(...quotes.map((x) => x.ask)) : undefined, `${m.symbol} ask`);
    }
  });

  it("GET /markets: each row carries its symbol's tick size when an exchange publishes it", async () => {
    const { body } = await call("/markets");
    const btc = body.markets.find((m: any) => m.symbol === "BTCUSDT");
    assert.equal(btc.tickSize, 0.01, "Binance's BTCUSDT step, finer than Kucoin's 0.1");
  });

  it("GET /news: newest first, by tag (case-insensitive), text and time range, without article bodies", async () => {
    const all = await call("/news");
    assert.equal(all.status, 200);
    const newestFirst = [...NEWS].sort((a, b) => Date.parse(String(b.publishedAt)) - Date.parse(String(a.publishedAt)));
    assert.deepEqual(all.body.articles.map((a: any) => a.url), newestFirst.map((a) => a.url));
    assert.equal(all.body.total, NEWS.length);
    assert.equal(all.body.articles[0].content, undefined);
    assert.match(all.body.articles[0].id, /^[0-9a-f]{64}$/);
    const btc = await call("/news", { tag: "btc" });
    assert.deepEqual(btc.body.articles.map((a: any) => a.url), newestFirst.filter((a) => a.coins?.includes("BTC")).map((a) => a.url));
    assert.deepEqual(btc.body.articles[0].sentiment, { label: "negative", score: -0.4 });
    const hack = await call("/news", { q: "hack" });
    assert.deepEqual(hack.body.articles.map((a: any) => a.url), ["https://news.example/d", "https://news.example/a"]);
    const upgrades = await call("/news", { tag: "upgrades" });
    assert.deepEqual(upgrades.body.articles.map((a: any) => a.url), ["https://news.example/c"]);
    const ranged = await call("/news", { from: iso(NOW - 4 * HOUR), to: iso(NOW - HOUR), limit: "1" });
    assert.deepEqual([ranged.body.total, ranged.body.articles.map((a: any) => a.url)], [2, ["https://news.example/a"]]);
  });

  it("GET /sentiment: per-bucket counts and mean score of one tag, from the stored articles", async () => {
    const { status, body } = await call("/sentiment", { tag: "btc", tf: "1h", from: iso(H - 4 * HOUR), to: iso(H + HOUR) });
    assert.equal(status, 200);
    assert.deepEqual([body.tag, body.timeframe], ["BTC", "1h"]);
    const btc = NEWS.filter((a) => a.coins?.includes("BTC"));
    const hours = [...new Set(btc.map((a) => Math.floor(Date.parse(String(a.publishedAt)) / HOUR) * HOUR))].sort((a, b) => a - b);
    assert.deepEqual(body.buckets.map((b: any) => b.start), hours.map(iso));
    for (const b of body.buckets) {
      const inBucket = btc.filter((a) => Math.floor(Date.parse(String(a.publishedAt)) / HOUR) * HOUR === Date.parse(b.start));
      assert.equal(b.count, inBucket.length);
      assert.equal(b.negative, inBucket.filter((a) => a.sentiment?.label === "negative").length);
      assert.equal(b.positive, inBucket.filter((a) => a.sentiment?.label === "positive").length);
      close(b.meanScore, inBucket.reduce((s, a) => s + a.sentiment!.score, 0) / inBucket.length, "meanScore");
    }
    const none = await call("/sentiment", { tag: "DOGE" });
    assert.deepEqual([none.status, none.body.buckets], [200, []]);
  });

  it("400 names the parameter at fault on the news and sentiment routes", async () => {
    const cases: [string, Record<string, string>, string][] = [
      ["/news", { tag: "a|b" }, "tag"],
      ["/news", { q: "x".repeat(201) }, "q"],
      ["/news", { limit: "101" }, "limit"],
      ["/news", { from: "2026-11-22T02:00:00Z", to: "2026-11-22T01:00:00Z" }, "from"],
      ["/sentiment", {}, "tag"],
      ["/sentiment", { tag: "BTC", tf: "2h" }, "tf"],
      ["/sentiment", { tag: "BTC", tf: "1m", from: "0" }, "to"],
    ];
    for (const [path, query, field] of cases) {
      const r = await call(path, query);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(query)}`);
      assert.equal(r.body.field, field, `${path} ${JSON.stringify(query)}`);
    }
  });
});
