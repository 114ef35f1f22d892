import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  ALL_NOTIFICATIONS_FILTER,
  TopicSegmentError,
  parseTopic,
  priceFeedDataTopic,
  priceFeedFilter,
  priceFeedRefreshTopic,
  sentimentDataTopic,
  sentimentFilter,
  sentimentRefreshTopic,
  socialDataTopic,
  socialFilter,
  socialRefreshTopic,
} from "../../contracts/topics.ts";

describe("topic builders", () => {
  it("build exactly the contract topics", () => {
    assert.equal(priceFeedRefreshTopic("BTC"), "cryptoviz/price-feed/BTC/notify/refresh");
    assert.equal(priceFeedDataTopic("ETH"), "cryptoviz/price-feed/ETH/notify/data");
    assert.equal(sentimentRefreshTopic("bitcoin"), "cryptoviz/sentiment/bitcoin/notify/refresh");
    assert.equal(sentimentDataTopic("regulation"), "cryptoviz/sentiment/regulation/notify/data");
    assert.equal(socialRefreshTopic("BTC"), "cryptoviz/social/BTC/notify/refresh");
    assert.equal(socialDataTopic("eth"), "cryptoviz/social/ETH/notify/data");
  });

  it("upper-cases coins and keeps tags as given", () => {
    assert.equal(priceFeedDataTopic("btc"), "cryptoviz/price-feed/BTC/notify/data");
    assert.equal(priceFeedDataTopic("1inch"), "cryptoviz/price-feed/1INCH/notify/data");
    assert.equal(priceFeedDataTopic("btc-perp"), "cryptoviz/price-feed/BTC-PERP/notify/data");
    assert.equal(sentimentDataTopic("Layer-2"), "cryptoviz/sentiment/Layer-2/notify/data");
  });

  const badCoins: Array<[unknown, RegExp]> = [
    ["", /must not be empty/],
    ["BTC/USDT", /must not contain '\/', '\+' or '#'/],
    ["+", /must not contain/],
    ["#", /must not contain/],
    ["BTC USD", /letters, digits/],
    ["-BTC", /must start with a letter or digit/],
    ["BTC\u0000", /letters, digits/],
    ["ÉTH", /letters, digits/],
    ["X".repeat(33), /at most 32/],
    [undefined, /must be a string/],
    [42, /must be a string/],
  ];
  for (const [coin, reason] of badCoins) {
    it(`rejects coin ${JSON.stringify(coin)} naming the field`, () => {
      for (const build of [priceFeedRefreshTopic, priceFeedDataTopic]) {
        assert.throws(
          () => build(coin as string),
          (err: unknown) => {
            assert.ok(err instanceof TopicSegmentError);
            assert.equal(err.field, "coin");
            assert.match(err.message, /^invalid coin /);
            assert.match(err.message, reason);
            return true;
          },
        );
      }
    });
  }

  const badTags = ["", "a/b", "defi+", "#all", "two words", ".hidden", "t".repeat(65)];
  for (const tag of badTags) {
    it(`rejects tag ${JSON.stringify(tag)} naming the field`, () => {
      for (const build of [sentimentRefreshTopic, sentimentDataTopic]) {
        assert.throws(
          () => build(tag),
          (err: unknown) => err instanceof TopicSegmentError && err.field === "tag" && /^invalid tag /.test(err.message),
        );
      }
    });
  }

  it("filters and parseTopic are consistent with the builders", () => {
    assert.equal(priceFeedFilter(), "cryptoviz/price-feed/+/notify/+");
    assert.equal(priceFeedFilter("eth"), "cryptoviz/price-feed/ETH/notify/+");
    assert.equal(sentimentFilter(), "cryptoviz/sentiment/+/notify/+");
    assert.equal(sentimentFilter(undefined, "refresh"), "cryptoviz/sentiment/+/notify/refresh");
    assert.equal(priceFeedFilter("btc", "data"), "cryptoviz/price-feed/BTC/notify/data");
    assert.equal(ALL_NOTIFICATIONS_FILTER, "cryptoviz/#");
    assert.deepEqual(parseTopic(priceFeedDataTopic("sol")), { feed: "price-feed", coin: "SOL", kind: "data" });
    assert.deepEqual(parseTopic(sentimentRefreshTopic("etf")), { feed: "sentiment", tag: "etf", kind: "refresh" });
    assert.equal(socialFilter(), "cryptoviz/social/+/notify/+");
    assert.equal(socialFilter("sol", "data"), "cryptoviz/social/SOL/notify/data");
    assert.deepEqual(parseTopic(socialDataTopic("sol")), { feed: "social", coin: "SOL", kind: "data" });
    assert.deepEqual(parseTopic(socialRefreshTopic("BTC")), { feed: "social", coin: "BTC", kind: "refresh" });
    assert.equal(parseTopic("cryptoviz/social/btc/notify/data"), null); // a coin segment: upper case
    assert.throws(() => socialDataTopic("BTC/#"), (err: unknown) => err instanceof TopicSegmentError && err.field === "coin");
    assert.equal(parseTopic("cryptoviz/price-feed/btc/notify/data"), null); // not normalised
    assert.equal(parseTopic("cryptoviz/price-feed/BTC/notify/other"), null);
    assert.equal(parseTopic("other/price-feed/BTC/notify/data"), null);
  });
});
