import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { canonicalUrl } from "../../contracts/canonicalUrl.ts";
import { candleDocId, newsDocId, quoteDocId, sentimentDocId, tradeDocId } from "../../lib/store/documentIds.ts";
import { IndexNames } from "../../lib/store/IndexNames.ts";

describe("document ids", () => {
  test("are deterministic and distinguish what they should", () => {
    assert.equal(tradeDocId("binance", "BTCUSDT", "123"), tradeDocId("binance", "BTCUSDT", "123"));
    assert.notEqual(tradeDocId("binance", "BTCUSDT", "123"), tradeDocId("kucoin", "BTCUSDT", "123"));
    assert.notEqual(tradeDocId("binance", "BTCUSDT", "123"), tradeDocId("binance", "ETHUSDT", "123"));
    assert.equal(candleDocId("all", "BTCUSDT", "1m", 60_000), "all|BTCUSDT|1m|60000");
    assert.notEqual(candleDocId("all", "BTCUSDT", "5m", 0), candleDocId("all", "BTCUSDT", "1m", 0));
    assert.equal(quoteDocId("bitmex", "XBTUSD"), "bitmex|XBTUSD");
    assert.equal(sentimentDocId("BTC", "1h", 3_600_000), "BTC|1h|3600000");
  });

  test("refuse separators that would make two ids collide", () => {
    assert.throws(() => tradeDocId("bin|ance", "BTCUSDT", "1"), TypeError);
    assert.throws(() => candleDocId("binance", "", "1m", 0), TypeError);
    assert.throws(() => tradeDocId("binance", "BTCUSDT", ""), TypeError);
  });

  test("news ids hash the canonical URL", () => {
    const a = newsDocId("https://News.Example.com:443/a/b/?utm_source=x&z=2&a=1#frag");
    const b = newsDocId("https://news.example.com/a/b?a=1&z=2");
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{64}$/);
    assert.notEqual(a, newsDocId("https://news.example.com/a/c?a=1&z=2"));
  });

  test("canonicalUrl", () => {
    assert.equal(canonicalUrl("HTTP://Example.COM:80/"), "http://example.com/");
    assert.equal(canonicalUrl("https://e.com/x/?fbclid=1&gclid=2"), "https://e.com/x");
    assert.equal(canonicalUrl("https://e.com/x?b=2&a=1&a=0"), "https://e.com/x?a=0&a=1&b=2");
    assert.throws(() => canonicalUrl("ftp://e.com/x"), TypeError);
  });
});

describe("index names", () => {
  const names = new IndexNames("cryptoviz-");
  test("derive from the record's own time, in UTC", () => {
    const t = Date.parse("2024-12-31T23:59:59.999Z");
    assert.equal(names.trades(t), "cryptoviz-trades-2024.12.31");
    assert.equal(names.trades(t + 1), "cryptoviz-trades-2025.01.01");
    assert.equal(names.candles("1m", t), "cryptoviz-candles-1m-2024.12");
    assert.equal(names.candles("1h", t), "cryptoviz-candles-1h-2024");
    assert.equal(names.news(Date.parse("2024-02-01T00:00:00Z")), "cryptoviz-news-2024.02");
    assert.equal(names.sentiment(t), "cryptoviz-sentiment-2024");
    assert.equal(names.quotes(), "cryptoviz-quotes");
    assert.equal(names.pattern("candles", "1w"), "cryptoviz-candles-1w-*");
    assert.equal(names.pattern("trades"), "cryptoviz-trades-*");
  });
});
