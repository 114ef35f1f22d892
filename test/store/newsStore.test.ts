// Integration: news documents and sentiment aggregates.
import type { Client } from "@opensearch-project/opensearch";
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { PermanentStoreError } from "../../lib/store/errors.ts";
import { SENTIMENT_TIMEFRAMES } from "../../lib/store/sentimentAggregation.ts";
import { sentimentQuery } from "../../lib/store/sentimentQuery.ts";
import type { StoreContext } from "../../lib/store/StoreContext.ts";
import type { EnrichedArticle, SentimentAggregate, SentimentAggregateDoc } from "../../lib/store/types.ts";
import type { SentimentLabel } from "../../contracts/sentiment.ts";
import { writeNews } from "../../lib/store/writeNews.ts";
import { close, refBucketStart } from "./reference.ts";
import { openSearchTarget, type SearchTarget } from "./searchTarget.ts";

const T0 = Date.parse("2024-12-31T22:10:00Z");
const NOW = () => Date.parse("2025-01-02T00:00:00Z");

function article(n: number, label: SentimentLabel, tags: string[], minutesAfter: number, score: number): EnrichedArticle {
  return {
    url: `https://news.example.com/story/${n}?utm_source=feed`,
    title: `Story ${n}`,
    source: "example",
    publishedAt: new Date(T0 + minutesAfter * 60_000).toISOString(),
    content: `Body of story ${n}`,
    coins: tags.filter((t) => t === t.toUpperCase()),
    tags: tags.filter((t) => t !== t.toUpperCase()),
    sentiment: { label, score, scores: { positive: 0.5, negative: 0.25, neutral: 0.25 } },
  };
}

/** Aggregates computed from the final articles, keyed like the store's ids. */
function refAggregates(articles: EnrichedArticle[]): Map<string, Omit<SentimentAggregate, "meanScore"> & { meanScore: number }> {
  const out = new Map<string, SentimentAggregate>();
  for (const a of articles) {
    const t = Date.parse(String(a.publishedAt));
    for (const tag of new Set([...(a.tags ?? []), ...(a.coins ?? [])])) {
      for (const tf of SENTIMENT_TIMEFRAMES) {
        const start = refBucketStart(tf, t);
        const id = `${tag}|${tf}|${start}`;
        const agg = out.get(id) ?? { tag, timeframe: tf, bucketStart: start, count: 0, positive: 0, negative: 0, neutral: 0, scoreSum: 0, meanScore: 0 };
        agg.count++;
        agg[a.sentiment?.label as SentimentLabel]++;
        agg.scoreSum += a.sentiment?.score ?? 0;
        agg.meanScore = agg.scoreSum / agg.count;
        out.set(id, agg);
      }
    }
  }
  return out;
}

async function readAggregates(ctx: StoreContext<Client>): Promise<Map<string, SentimentAggregate>> {
  await ctx.client.indices.refresh({ index: `${ctx.names.prefix}sentiment-*` });
  const r = await ctx.client.search({ index: `${ctx.names.prefix}sentiment-*`, body: { size: 10_000 } as never });
  const out = new Map<string, SentimentAggregate>();
  for (const h of (r.body as { hits: { hits: { _id: string; _source: SentimentAggregateDoc }[] } }).hits.hits) {
    const { updatedAt: _u, ...agg } = h._source;
    out.set(h._id, agg);
  }
  return out;
}

function assertAggregates(actual: Map<string, SentimentAggregate>, articles: EnrichedArticle[]): void {
  const expected = refAggregates(articles);
  for (const [id, want] of expected) {
    const got = actual.get(id);
    assert.ok(got, `missing ${id}`);
    assert.deepEqual([got.count, got.positive, got.negative, got.neutral], [want.count, want.positive, want.negative, want.neutral], id);
    assert.ok(close(got.scoreSum, want.scoreSum) && close(got.meanScore, want.meanScore), `${id} score`);
  }
  // Aggregates the articles left are zero, not stale.
  for (const [id, got] of actual) if (!expected.has(id)) assert.equal(got.count, 0, `${id} should be empty`);
}

describe("news store (integration)", () => {
  let target: SearchTarget;
  let ctx: StoreContext<Client>;
  before(async () => {
    target = await openSearchTarget();
    ctx = target.withPrefix("news").context(NOW);
    await ensureTemplates(ctx.client, ctx.names.prefix);
  });
  after(async () => {
    await target?.close();
  });

  test("the same article twice (and through another link) is one document; aggregates match an independent count", async () => {
    const articles = [
      article(1, "positive", ["BTC", "etf"], 0, 0.8),
      article(2, "negative", ["BTC"], 20, -0.6),
      article(3, "neutral", ["ETH", "etf"], 75, 0.05),
      article(4, "positive", ["ETH"], 130, 0.4), // next day, next month, next year
    ];
    const first = await writeNews(ctx, articles.map((item, i) => ({ key: `n${i}`, item })));
    assert.equal(first.failed.size, 0, [...first.failed.values()].map((e) => e.reason).join("\n"));
    const second = await writeNews(ctx, [
      ...articles.map((item, i) => ({ key: `again${i}`, item })),
      { key: "alias", item: { ...(articles[0] as EnrichedArticle), url: "https://NEWS.example.com/story/1#comments" } },
    ]);
    assert.equal(second.failed.size, 0);
    await ctx.client.indices.refresh({ index: `${ctx.names.prefix}news-*` });
    const count = await ctx.client.count({ index: `${ctx.names.prefix}news-*` });
    assert.equal((count.body as { count: number }).count, 4);
    assertAggregates(await readAggregates(ctx), articles);

    // Re-tagged and re-scored: the old tag's buckets lose it, the new ones gain it.
    const changed = { ...(articles[2] as EnrichedArticle), coins: ["SOL"], tags: [], sentiment: { label: "negative" as const, score: -0.9 } };
    const third = await writeNews(ctx, [{ key: "retag", item: changed }]);
    assert.equal(third.failed.size, 0);
    const final = [articles[0], articles[1], changed, articles[3]] as EnrichedArticle[];
    assertAggregates(await readAggregates(ctx), final);

    const q = sentimentQuery(ctx.names, { tag: "BTC", timeframe: "1h", from: T0 - 3_600_000, to: T0 + 3_600_000 });
    const hits = (await ctx.client.search({ index: q.index, body: q.body as never })).body as { hits: { hits: { _source: SentimentAggregate }[] } };
    assert.deepEqual(hits.hits.hits.map((h) => h._source.count), [2]);
  });

  test("an invalid article fails only its record, permanently", async () => {
    const r = await writeNews(ctx, [
      { key: "ok", item: article(10, "neutral", ["XRP"], 5, 0) },
      { key: "bad", item: { ...article(11, "neutral", ["XRP"], 5, 0), publishedAt: "yesterday-ish" } },
    ]);
    assert.deepEqual([...r.failed.keys()], ["bad"]);
    assert.ok(r.failed.get("bad") instanceof PermanentStoreError);
    assert.match(r.failed.get("bad")?.message ?? "", /publishedAt/);
    assert.equal(r.stored.length, 1);
  });
});
