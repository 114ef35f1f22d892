import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { latestCandles, priceFeedData } from "../../lib/market/consume/priceFeedPayload.ts";
import { MAX_PAYLOAD_BYTES } from "../../lib/notify/notifier.ts";
import type { Candle } from "../../lib/store/types.ts";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-10-26T00:00:00Z");
const candle = (exchange: string, timeframe: Candle["timeframe"], bucketStart: number): Candle => ({
  exchange, symbol: "BTCUSDT", timeframe, bucketStart, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, quoteVolume: 15, trades: 7,
  openTime: bucketStart, closeTime: bucketStart + 1,
});

// A backfill: 27 days of 1m buckets for two exchanges and `all`.
const backfill = ["binance", "kucoin", "all"].flatMap((ex) => Array.from({ length: 27 * 24 * 60 }, (_, i) => candle(ex, "1m", T0 + i * 60_000)));

describe("the price-feed data payload", () => {
  it("carries every touched candle when it fits", () => {
    const cs = [candle("all", "1m", T0), candle("all", "1m", T0 + 60_000), candle("binance", "1h", T0)];
    const data = priceFeedData({ coin: "BTC", at: "x", candles: cs, quotes: [], listings: [] });
    assert.deepEqual(data.candles, cs);
    assert.equal(data.partial, undefined);
  });

  it("keeps the newest candle per symbol, exchange and timeframe when a backfill would exceed the MQTT limit", () => {
    const data = priceFeedData({ coin: "BTC", at: "x", candles: [...backfill, candle("all", "1h", T0), candle("all", "1h", T0 + HOUR)], quotes: [], listings: [] });
    assert.ok(Buffer.byteLength(JSON.stringify(data)) <= MAX_PAYLOAD_BYTES);
    assert.equal(data.partial, true);
    const last = T0 + (27 * 24 * 60 - 1) * 60_000;
    assert.deepEqual(
      data.candles.map((c) => [c.exchange, c.timeframe, c.bucketStart]).sort(),
      [["all", "1h", T0 + HOUR], ["all", "1m", last], ["binance", "1m", last], ["kucoin", "1m", last]].sort(),
    );
  });

  it("falls back to the cross-exchange candles when even the newest per exchange do not fit", () => {
    const many = Array.from({ length: 3000 }, (_, i) => candle(`ex${i}`, "1m", T0)).concat(candle("all", "1m", T0));
    const data = priceFeedData({ coin: "BTC", at: "x", candles: many, quotes: [], listings: [] });
    assert.deepEqual(data.candles.map((c) => c.exchange), ["all"]);
    assert.equal(latestCandles(many).length, 3001);
  });
});
