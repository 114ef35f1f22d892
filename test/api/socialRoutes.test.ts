// GET /social and GET /social/activity against the local search endpoint: posts
// and trades written through the store's own write paths, and every expected
// answer (counts, distinct authors, mean sentiment, closes, returns, Pearson's
// r at each lag) computed here from the posts and trades themselves.
import type { Client } from "@opensearch-project/opensearch";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { startSearchServer } from "@cryptoviz/local-search";
import type { SocialActivityAnswer, SocialAnswer } from "../../contracts/api.ts";
import type { SocialPost } from "../../contracts/social.ts";
import type { SentimentLabel } from "../../contracts/sentiment.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { createApiRouter } from "../../lib/api/apiRouter.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { socialPostDoc } from "../../lib/social/socialPostDoc.ts";
import { socialPostDocId } from "../../lib/store/documentIds.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";
import type { MarketTrade } from "../../lib/store/types.ts";
import { writeMarketBatch } from "../../lib/store/writeMarketBatch.ts";
import { writeSocialPosts } from "../../lib/store/writeSocial.ts";
import { makePost } from "../fixtures/social/socialPosts.ts";
import { lambdaContext } from "../helpers/lambdaContext.ts";
import { rng } from "../helpers/rng.ts";

process.env.CRYPTOVIZ_LOG_LEVEL ??= "SILENT";

const MIN = 60_000;
const TF = 15 * MIN;
const NOW = Date.parse("2026-11-22T12:07:30Z");
const START = Date.parse("2026-11-22T10:00:00Z");
const END = Date.parse("2026-11-22T12:00:00Z"); // 8 buckets of 15 minutes
const iso = (ms: number) => new Date(ms).toISOString();

// ---- what is written ----
const rand = rng(2026);
interface Written { post: SocialPost; label: SentimentLabel; score: number }
const WRITTEN: Written[] = [];
let n = 0;
for (let t = START; t < END; t += MIN) {
  // Busy and quiet stretches, so activity varies from bucket to bucket; a few
  // regulars post in many minutes (an author counts once per bucket).
  const count = Math.floor(rand() * (((t - START) / TF) % 3 === 0 ? 6 : 3));
  for (let i = 0; i < count; i++) {
    const author = rand() < 0.5 ? `regular${Math.floor(rand() * 4)}` : `casual${Math.floor(rand() * 200)}`;
    const coin = rand() < 0.8 ? "BTC" : "ETH";
    const post = makePost({ coin, createdAtMs: t + Math.floor(rand() * MIN), author, n: n++ });
    const positive = rand();
    const negative = (1 - positive) * rand();
    const label: SentimentLabel = positive > 0.6 ? "positive" : negative > 0.4 ? "negative" : "neutral";
    WRITTEN.push({ post, label, score: positive - negative });
  }
}
const btc = WRITTEN.filter((w) => w.post.coins.includes("BTC"));

const TRADES: MarketTrade[] = [];
let price = 90_000;
for (let t = START - 2 * TF; t < END; t += 20_000) {
  price *= 1 + (rand() - 0.5) * 0.004;
  TRADES.push({ exchange: "binance", symbol: "BTCUSDT", tradeId: `t${TRADES.length}`, price: Math.round(price * 100) / 100, size: 0.01, time: t + 7 });
}

// ---- the reference ----
const buckets = Array.from({ length: (END - START) / TF }, (_, i) => START + i * TF);
function closeIn(b: number): number | null {
  const inside = TRADES.filter((tr) => tr.time >= b && tr.time < b + TF);
  return inside.length === 0 ? null : inside[inside.length - 1]!.price;
}
function pearson(xs: number[], ys: number[]): number | null {
  if (xs.length < 3) return null;
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  const cov = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
  const sx = Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0));
  const sy = Math.sqrt(ys.reduce((s, y) => s + (y - my) ** 2, 0));
  return sx === 0 || sy === 0 ? null : cov / (sx * sy);
}
function near(actual: number | null, expected: number | null, what: string, tol = 1e-9): void {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

// ---- the handler ----
let server: Awaited<ReturnType<typeof startSearchServer>>;
let store: StoreContext<Client>;
let dataDir: string;
let handler: ReturnType<typeof httpHandler>;
const sample = JSON.parse(readFileSync("functions/api/event.json", "utf8")) as APIGatewayProxyEventV2;

async function call<T = Record<string, any>>(path: string, query: Record<string, string> = {}) {
  const rawQueryString = new URLSearchParams(query).toString();
  const event: APIGatewayProxyEventV2 = {
    ...sample,
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString,
    ...(rawQueryString ? { queryStringParameters: query } : {}),
    requestContext: { ...sample.requestContext, routeKey: `GET ${path}`, http: { ...sample.requestContext.http, method: "GET", path } },
  };
  const r = (await handler(event, lambdaContext("api"))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, body: JSON.parse(String(r.body)) as T };
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "api-social-"));
  server = await startSearchServer({ port: 0, dataDir });
  const config = readStoreConfig({ SEARCH_URL: server.url });
  store = createStoreContext(createSearchClient(config), config, () => NOW);
  await ensureTemplates(store.client, config.indexPrefix);
  const trades = await writeMarketBatch(store, { trades: TRADES.map((item) => ({ key: item.tradeId, item })) });
  assert.equal(trades.failed.size, 0);
  // In several batches, as the consumer would write them.
  for (let i = 0; i < WRITTEN.length; i += 60) {
    const writes = WRITTEN.slice(i, i + 60).map(({ post, label, score }, j) => {
      const positive = (1 + score) / 2;
      const doc = socialPostDoc({ id: socialPostDocId(post.source, post.id), post, coins: post.coins }, { label, scores: { positive, negative: 1 - positive, neutral: 0 } }, NOW);
      return { key: `k${i + j}`, id: socialPostDocId(post.source, post.id), createdAt: post.createdAt, coins: post.coins, doc };
    });
    const result = await writeSocialPosts(store, writes);
    assert.equal(result.failed.size, 0, [...result.failed.values()].map(String).join("; "));
  }
  handler = httpHandler(createApiRouter({ store, now: () => NOW }), { allowedOrigins: [], logger: createLogger("api") });
});

after(async () => {
  await store?.client.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("GET /social and /social/activity (integration)", () => {
  it("GET /social: the coin's posts newest first, with their sentiment, within from/to", async () => {
    const { status, body } = await call<SocialAnswer>("/social", { coin: "btc", limit: "7" });
    assert.equal(status, 200);
    assert.equal(body.coin, "BTC");
    assert.equal(body.total, btc.length);
    const newest = [...btc].sort((a, b) => (a.post.createdAt < b.post.createdAt ? 1 : -1)).slice(0, 7);
    assert.deepEqual(body.posts.map((p) => p.postId), newest.map((w) => w.post.id));
    for (const p of body.posts) {
      const w = btc.find((x) => x.post.id === p.postId)!;
      assert.equal(p.text, w.post.text);
      assert.equal(p.sentiment.label, w.label);
      assert.equal(p.id, socialPostDocId(w.post.source, w.post.id));
    }
    const from = START + 30 * MIN;
    const to = START + 45 * MIN;
    const ranged = await call<SocialAnswer>("/social", { coin: "BTC", from: iso(from), to: String(to), limit: "100" });
    const inRange = btc.filter((w) => Date.parse(w.post.createdAt) >= from && Date.parse(w.post.createdAt) < to);
    assert.equal(ranged.body.total, inRange.length);
    assert.deepEqual(new Set(ranged.body.posts.map((p) => p.postId)), new Set(inRange.map((w) => w.post.id)));
  });

  it("GET /social/activity: per bucket posts, distinct authors, mean sentiment and label counts beside the close and return", async () => {
    const { status, body } = await call<SocialActivityAnswer>("/social/activity", { coin: "BTC", tf: "15m", from: iso(START), to: iso(END) });
    assert.equal(status, 200);
    assert.equal(body.symbol, "BTCUSDT");
    assert.equal(body.from, iso(START));
    assert.equal(body.to, iso(END));
    assert.deepEqual(body.buckets.map((b) => b.t), buckets.map(iso));
    let mergedSomewhere = false;
    body.buckets.forEach((b, i) => {
      const t = buckets[i]!;
      const inside = btc.filter((w) => Date.parse(w.post.createdAt) >= t && Date.parse(w.post.createdAt) < t + TF);
      assert.equal(b.posts, inside.length, `${b.t} posts`);
      assert.equal(b.positive, inside.filter((w) => w.label === "positive").length, `${b.t} positive`);
      assert.equal(b.negative, inside.filter((w) => w.label === "negative").length, `${b.t} negative`);
      near(b.sentiment, inside.length === 0 ? null : inside.reduce((s, w) => s + w.score, 0) / inside.length, `${b.t} sentiment`, 1e-6);
      const authors = new Set(inside.map((w) => w.post.authorId)).size;
      // Approximate by design (HyperLogLog); with this few authors it is within one.
      assert.ok(Math.abs(b.authors - authors) <= 1, `${b.t} authors ${b.authors} vs ${authors}`);
      const perMinute = new Map<number, Set<string>>();
      for (const w of inside) {
        const m = Math.floor(Date.parse(w.post.createdAt) / MIN);
        perMinute.set(m, (perMinute.get(m) ?? new Set()).add(w.post.authorId));
      }
      if ([...perMinute.values()].reduce((s, a) => s + a.size, 0) > authors + 1) mergedSomewhere = true;
      near(b.close, closeIn(t), `${b.t} close`);
      const prev = closeIn(t - TF);
      near(b.return, b.close === null || prev === null ? null : closeIn(t)! / prev - 1, `${b.t} return`);
    });
    assert.ok(mergedSomewhere, "some bucket has authors active in several of its minutes (merged, not summed)");
    const returns = buckets.map((t) => {
      const c = closeIn(t);
      const p = closeIn(t - TF);
      return c === null || p === null ? null : c / p - 1;
    });
    const series = {
      activity: body.buckets.map((b) => b.posts as number | null),
      sentiment: body.buckets.map((b) => b.sentiment),
    };
    for (const kind of ["activity", "sentiment"] as const) {
      assert.deepEqual(body.correlation[kind].map((c) => c.lag), [-3, -2, -1, 0, 1, 2, 3]);
      for (const c of body.correlation[kind]) {
        const xs: number[] = [];
        const ys: number[] = [];
        series[kind].forEach((x, t) => {
          const y = returns[t + c.lag];
          if (x !== null && y != null) {
            xs.push(x);
            ys.push(y);
          }
        });
        assert.equal(c.n, xs.length, `${kind} lag ${c.lag} n`);
        near(c.r, pearson(xs, ys), `${kind} lag ${c.lag} r`, 1e-6);
      }
    }
    assert.ok(body.correlation.activity.some((c) => c.r !== null), "enough buckets for a correlation");
  });

  it("GET /social/activity: a bucket with no posts answers zeros and a null sentiment; a coin with no candles null closes", async () => {
    const quiet = await call<SocialActivityAnswer>("/social/activity", { coin: "BTC", tf: "1h", from: iso(END), to: iso(END + 2 * 3_600_000) });
    assert.equal(quiet.status, 200);
    assert.deepEqual(quiet.body.buckets.map((b) => [b.posts, b.authors, b.sentiment]), [[0, 0, null], [0, 0, null]]);
    const eth = await call<SocialActivityAnswer>("/social/activity", { coin: "ETH", tf: "1h", from: iso(START), to: iso(END) });
    assert.equal(eth.body.symbol, "ETHUSDT");
    assert.ok(eth.body.buckets.every((b) => b.close === null && b.return === null));
    assert.equal(eth.body.buckets.reduce((s, b) => s + b.posts, 0), WRITTEN.length - btc.length);
  });

  it("400 names the parameter at fault", async () => {
    const cases: [string, Record<string, string>, string][] = [
      ["/social", {}, "coin"],
      ["/social", { coin: "BTC/USDT" }, "coin"],
      ["/social", { coin: "BTC", limit: "0" }, "limit"],
      ["/social", { coin: "BTC", from: iso(END), to: iso(START) }, "from"],
      ["/social/activity", { tf: "1h" }, "coin"],
      ["/social/activity", { coin: "BTC", tf: "2h" }, "tf"],
      ["/social/activity", { coin: "BTC", tf: "1d", from: iso(END - 40 * 86_400_000), to: iso(END) }, "from"],
      ["/social/activity", { coin: "BTC", symbol: "BTC-USDT" }, "symbol"],
      ["/social/activity", { coin: "BTC", from: "yesterday" }, "from"],
    ];
    for (const [path, query, field] of cases) {
      const r = await call(path, query);
      assert.equal(r.status, 400, `${path} ${JSON.stringify(query)}`);
      assert.equal(r.body.field, field, `${path} ${JSON.stringify(query)}`);
    }
  });
});
