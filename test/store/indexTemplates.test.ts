import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { indexTemplates } from "../../lib/store/indexTemplates.ts";
import { IndexNames } from "../../lib/store/IndexNames.ts";
import { newsDoc } from "../../lib/store/writeNews.ts";
import { tradeDoc } from "../../lib/store/writeTrades.ts";
import { socialPostDoc } from "../../lib/social/socialPostDoc.ts";
import type { SocialActivityDoc } from "../../lib/store/types.ts";
import { makePost } from "../fixtures/social/socialPosts.ts";

type Props = Record<string, { type?: string; properties?: Props }>;

function template(kind: string, tradeShards?: number) {
  const t = indexTemplates("p-", { tradeShards }).find((x) => x.name === `p-${kind}`);
  assert.ok(t, kind);
  return t;
}

/** Every leaf path of a document must be a mapped field (mappings are strict). */
function unmapped(doc: Record<string, unknown>, props: Props, path = ""): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(doc)) {
    const p = props[k];
    if (!p) out.push(`${path}${k}`);
    else if (v && typeof v === "object" && !Array.isArray(v)) out.push(...unmapped(v as Record<string, unknown>, p.properties ?? {}, `${path}${k}.`));
  }
  return out;
}

describe("index templates", () => {
  test("one strict template per kind, patterns matching the index names and nothing else's", () => {
    const names = new IndexNames("p-");
    const all = indexTemplates("p-");
    assert.deepEqual(all.map((t) => t.name).sort(), ["p-candles", "p-completeness", "p-listings", "p-news", "p-quotes", "p-sentiment", "p-social-activity", "p-social-posts", "p-trades"]);
    const t = Date.parse("2024-03-04T05:06:07Z");
    const samples: Record<string, string[]> = {
      "p-trades": [names.trades(t)],
      "p-candles": [names.candles("1s", t), names.candles("1m", t), names.candles("1w", t)],
      "p-quotes": [names.quotes()],
      "p-listings": [names.listings()],
      "p-news": [names.news(t)],
      "p-sentiment": [names.sentiment(t)],
      "p-social-posts": [names.socialPosts(t)],
      "p-social-activity": [names.socialActivity(t)],
      "p-completeness": [names.completeness(t)],
    };
    const matches = (pattern: string, name: string) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`).test(name);
    for (const tpl of all) {
      assert.equal((tpl.body.template.mappings as { dynamic: string }).dynamic, "strict");
      for (const [owner, indices] of Object.entries(samples)) {
        for (const index of indices) {
          assert.equal(tpl.body.index_patterns.some((p) => matches(p, index)), owner === tpl.name, `${tpl.name} vs ${index}`);
        }
      }
    }
  });

  test("the documents the store writes use only mapped fields", () => {
    const trades = template("trades").body.template.mappings.properties as Props;
    assert.deepEqual(unmapped({ ...tradeDoc({ exchange: "b", symbol: "S", base: "B", quote: "Q", tradeId: "1", price: 1, size: 2, side: "buy", time: 1, receivedAt: 2 }) }, trades), []);
    const news = template("news").body.template.mappings.properties as Props;
    const doc = newsDoc(
      {
        url: "https://e.com/a",
        title: "t",
        source: "s",
        author: "a",
        publishedAt: "2024-01-01T00:00:00Z",
        content: "c",
        summary: "s",
        keywords: ["k"],
        coins: ["BTC"],
        tags: ["etf"],
        sentiment: { label: "positive", score: 0.5, scores: { positive: 0.7, negative: 0.2, neutral: 0.1 } },
        ingestedAt: 1,
      },
      0,
    );
    assert.deepEqual(unmapped({ ...doc }, news), []);
    const candles = template("candles").body.template.mappings.properties as Props;
    const candle = { exchange: "b", symbol: "S", timeframe: "1m", bucketStart: 0, open: 1, high: 1, low: 1, close: 1, volume: 1, quoteVolume: 1, trades: 1, openTime: 0, closeTime: 0, updatedAt: 0 };
    assert.deepEqual(unmapped(candle, candles), []);
    // A post with every optional field, and a minute of activity, as the social consumer writes them.
    const post = socialPostDoc(
      { id: "h", coins: ["BTC"], post: { ...makePost({ createdAtMs: 0, author: "a", n: 3 }), authorName: "A", authorFollowers: 5, likeCount: 1, repostCount: 2 } },
      { label: "neutral", scores: { positive: 0.2, negative: 0.1, neutral: 0.7 } },
      0,
    );
    assert.ok(post.repostOf && post.authorFollowers !== undefined && post.likeCount !== undefined, "the sample sets the optional fields");
    assert.deepEqual(unmapped({ ...post }, template("social-posts").body.template.mappings.properties as Props), []);
    const minute = { coin: "BTC", bucketStart: 0, posts: 1, authors: 1, authorsHll: "s", positive: 0, negative: 0, neutral: 1, scoreSum: 0.1, meanScore: 0.1, updatedAt: 0 } satisfies SocialActivityDoc;
    assert.deepEqual(unmapped(minute, template("social-activity").body.template.mappings.properties as Props), []);
  });

  test("trade shards are configurable", () => {
    assert.equal((template("trades").body.template.settings as { number_of_shards: number }).number_of_shards, 1);
    assert.equal((template("trades", 6).body.template.settings as { number_of_shards: number }).number_of_shards, 6);
  });
});
