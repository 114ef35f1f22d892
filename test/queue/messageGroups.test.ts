import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fifoToken, isFifoQueue, messageGroupOf } from "../../contracts/messageGroups.ts";
import { MARKET_BATCH_SCHEMA, type Trade } from "../../contracts/market.ts";
import { MARKET_COMPLETENESS_SCHEMA } from "../../contracts/completeness.ts";
import { MARKET_LISTING_SCHEMA } from "../../contracts/listing.ts";
import { marketEnvelopes } from "../../lib/market/collect/marketEnvelopes.ts";

const trade = (exchange: string, symbol: string, base: string, quote: string, id: string): Trade => ({
  exchange, symbol, base, quote, price: 100, size: 1, side: "buy", tradeId: id, ts: 1_765_000_000_000, receivedAt: 1_765_000_000_001,
});
const envelope = (schema: string, payload: unknown) => ({ schema, source: "test", payload });

describe("FIFO message groups (contracts/messageGroups.ts)", () => {
  it("a collector batch's group is its store symbol, the same for every exchange's spelling", () => {
    const at = new Date(1_765_000_000_000);
    const groups = [
      marketEnvelopes("binance", "b1", [trade("binance", "BTCUSDT", "BTC", "USDT", "1")], [], at, "c"),
      marketEnvelopes("kucoin", "k1", [trade("kucoin", "BTC-USDT", "BTC", "USDT", "2")], [], at, "c"),
      marketEnvelopes("bitmex", "x1", [trade("bitmex", "XBTUSD", "BTC", "USD", "3")], [], at, "c"),
    ].map((envelopes) => messageGroupOf(envelopes[0]!));
    assert.deepEqual(groups, ["BTCUSDT", "BTCUSDT", "BTCUSD"]);
  });

  it("a webhook batch of several symbols is `mixed`; listings, completeness reports and other schemas have their own", () => {
    const mixed = { exchange: "binance", trades: [trade("binance", "BTCUSDT", "BTC", "USDT", "1"), trade("binance", "ETHUSDT", "ETH", "USDT", "2")], quotes: [] };
    assert.equal(messageGroupOf(envelope(MARKET_BATCH_SCHEMA, mixed)), "mixed");
    assert.equal(messageGroupOf(envelope(MARKET_BATCH_SCHEMA, { ...mixed, trades: mixed.trades.slice(1) })), "ETHUSDT");
    assert.equal(messageGroupOf(envelope(MARKET_LISTING_SCHEMA, { symbol: "BTC" })), "listings");
    assert.equal(messageGroupOf(envelope(MARKET_COMPLETENESS_SCHEMA, { exchange: "kucoin" })), "completeness:kucoin");
    assert.equal(messageGroupOf(envelope("news.article/v1", {})), "news.article/v1");
  });

  it("ids SQS would refuse become their SHA-256; valid ones stay readable", () => {
    assert.equal(fifoToken("abc-0"), "abc-0");
    for (const bad of ["has space", "é", "x".repeat(129), ""]) assert.match(fifoToken(bad), /^[0-9a-f]{64}$/, JSON.stringify(bad));
    assert.notEqual(fifoToken("x".repeat(129)), fifoToken("x".repeat(130)));
    assert.ok(isFifoQueue("http://127.0.0.1:4566/000000000000/cryptoviz-local-price-tasks.fifo"));
    assert.ok(!isFifoQueue("cryptoviz-local-news-tasks"));
  });
});
