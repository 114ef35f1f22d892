// Merging live MQTT messages into the page's state: overview rows and the candle series.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { liveCandlesFor, mergeLiveBar, toBar } from "../../dashboard/src/state/candles.ts";
import { applyPriceFeed, mergeMarketsAnswer, nextSort, sortMarkets, type MarketRow } from "../../dashboard/src/state/markets.ts";
import type { Market, PriceFeedData } from "../../contracts/api.ts";

const T0 = Date.parse("2026-11-22T10:00:00Z");

function market(symbol: string, over: Partial<Market> = {}): Market {
  return {
    symbol, last: 100, open24h: 80, change24h: 0.25, high24h: 110, low24h: 75, volume24h: 10, quoteVolume24h: 1000, trades24h: 42,
    bid: 99, ask: 101, sparkline: [80, 90, 100], updatedAt: new Date(T0).toISOString(), ...over,
  };
}

function candle(symbol: string, close: number, over: Record<string, unknown> = {}) {
  return { exchange: "all", symbol, timeframe: "1m", bucketStart: T0, open: close, high: close, low: close, close, volume: 1, ...over } as PriceFeedData["candles"][number];
}

const feed = (over: Partial<PriceFeedData>): PriceFeedData => ({ coin: "BTC", at: new Date(T0).toISOString(), candles: [], quotes: [], ...over });

describe("overview rows", () => {
  it("moves the last price, 24 h change, range and sparkline with the newest cross-exchange 1m candle", () => {
    const state = mergeMarketsAnswer(new Map(), { generatedAt: "", markets: [market("BTCUSDT")] }, T0);
    const next = applyPriceFeed(state, feed({
      candles: [
        candle("BTCUSDT", 120, { bucketStart: T0 + 60_000, high: 121 }),
        candle("BTCUSDT", 999, { bucketStart: T0 }), // older minute: not the last price
        candle("BTCUSDT", 500, { exchange: "binance", bucketStart: T0 + 60_000 }), // one exchange: ignored
        candle("BTCUSDT", 700, { timeframe: "1h", bucketStart: T0 + 60_000 }), // other timeframe: ignored
      ],
    }), T0 + 61_000);
    const row = next.get("BTCUSDT")!;
    assert.equal(row.last, 120);
    assert.equal(row.change24h, 120 / 80 - 1);
    assert.equal(row.high24h, 121);
    assert.equal(row.low24h, 75);
    assert.deepEqual(row.sparkline, [80, 90, 120]);
    assert.equal(row.updatedAtMs, T0 + 61_000);
    assert.equal(row.tick, "up");
    assert.equal(row.tickAt, T0 + 61_000, "the flash starts when the move arrived");
    const same = applyPriceFeed(next, feed({ candles: [candle("BTCUSDT", 120, { bucketStart: T0 + 60_000 })] }), T0 + 62_000).get("BTCUSDT")!;
    assert.deepEqual([same.tick, same.tickAt], ["up", T0 + 61_000], "an unchanged price is no new move");
    assert.equal(state.get("BTCUSDT")!.last, 100, "the previous state is not mutated");
    assert.deepEqual(state.get("BTCUSDT")!.sparkline, [80, 90, 100]);
  });

  it("keeps the newest trade's price when a later message brings an older minute (late trades)", () => {
    let state: Map<string, MarketRow> = mergeMarketsAnswer(new Map(), { generatedAt: "", markets: [market("BTCUSDT")] }, T0);
    state = applyPriceFeed(state, feed({ candles: [candle("BTCUSDT", 120, { bucketStart: T0 + 120_000, closeTime: T0 + 150_000 })] }), T0 + 151_000);
    state = applyPriceFeed(state, feed({ candles: [candle("BTCUSDT", 90, { bucketStart: T0 + 60_000, closeTime: T0 + 119_000 })] }), T0 + 152_000);
    assert.equal(state.get("BTCUSDT")!.last, 120, "the late minute's close is not the last price");
    state = applyPriceFeed(state, feed({ candles: [candle("BTCUSDT", 121, { bucketStart: T0 + 120_000, closeTime: T0 + 155_000 })] }), T0 + 156_000);
    assert.equal(state.get("BTCUSDT")!.last, 121, "a newer trade in the same minute moves it");
  });

  it("takes best bid/ask across exchanges, newest quote per exchange, ignoring quotes a minute behind", () => {
    let state: Map<string, MarketRow> = mergeMarketsAnswer(new Map(), { generatedAt: "", markets: [market("BTCUSDT")] }, T0);
    state = applyPriceFeed(state, feed({
      quotes: [
        { exchange: "binance", symbol: "BTCUSDT", bid: 100, ask: 102, at: T0 },
        { exchange: "kucoin", symbol: "BTCUSDT", bid: 101, ask: 103, at: T0 },
      ],
    }), T0);
    assert.deepEqual([state.get("BTCUSDT")!.bid, state.get("BTCUSDT")!.ask], [101, 102]);
    state = applyPriceFeed(state, feed({ quotes: [{ exchange: "kucoin", symbol: "BTCUSDT", bid: 90, ask: 91, at: T0 - 1 }] }), T0);
    assert.deepEqual([state.get("BTCUSDT")!.bid, state.get("BTCUSDT")!.ask], [101, 102], "an older kucoin quote does not replace a newer one");
    state = applyPriceFeed(state, feed({ quotes: [{ exchange: "bitmex", symbol: "BTCUSDT", bid: 104, ask: 105, at: T0 + 120_000 }] }), T0 + 120_000);
    assert.deepEqual([state.get("BTCUSDT")!.bid, state.get("BTCUSDT")!.ask], [104, 105], "quotes 2 minutes older no longer count");
  });

  it("adds a row for a symbol seen live before the API lists it, and keeps it through a refetch", () => {
    let state = applyPriceFeed(new Map(), feed({ coin: "SOL", candles: [candle("SOLUSDT", 180)] }), T0);
    const sol = state.get("SOLUSDT")!;
    assert.equal(sol.last, 180);
    assert.ok(Number.isNaN(sol.change24h), "no 24 h open known yet");
    state = mergeMarketsAnswer(state, { generatedAt: "", markets: [market("BTCUSDT")] }, T0);
    assert.deepEqual([...state.keys()].sort(), ["BTCUSDT", "SOLUSDT"]);
  });

  it("keeps a live price newer than the API answer's updatedAt", () => {
    let state = mergeMarketsAnswer(new Map(), { generatedAt: "", markets: [market("BTCUSDT")] }, T0);
    state = applyPriceFeed(state, feed({ candles: [candle("BTCUSDT", 130)] }), T0 + 5_000);
    state = mergeMarketsAnswer(state, { generatedAt: "", markets: [market("BTCUSDT", { last: 125, updatedAt: new Date(T0 + 2_000).toISOString() })] }, T0 + 6_000);
    assert.equal(state.get("BTCUSDT")!.last, 130);
    state = mergeMarketsAnswer(state, { generatedAt: "", markets: [market("BTCUSDT", { last: 126, updatedAt: new Date(T0 + 9_000).toISOString() })] }, T0 + 9_000);
    assert.equal(state.get("BTCUSDT")!.last, 126, "a newer answer wins");
  });

  it("sorts by any column, missing values last, ties by symbol", () => {
    const rows = [market("B", { quoteVolume24h: 5 }), market("A", { quoteVolume24h: 5 }), market("C", { quoteVolume24h: NaN }), market("D", { quoteVolume24h: 9 })].map(
      (m) => ({ ...m, updatedAtMs: 0, quotes: {} }) as MarketRow,
    );
    assert.deepEqual(sortMarkets(rows, { key: "quoteVolume24h", dir: "desc" }).map((r) => r.symbol), ["D", "A", "B", "C"]);
    assert.deepEqual(sortMarkets(rows, { key: "quoteVolume24h", dir: "asc" }).map((r) => r.symbol), ["A", "B", "D", "C"]);
    assert.deepEqual(sortMarkets(rows, { key: "symbol", dir: "desc" }).map((r) => r.symbol), ["D", "C", "B", "A"]);
    assert.deepEqual(nextSort({ key: "last", dir: "desc" }, "last"), { key: "last", dir: "asc" });
    assert.deepEqual(nextSort({ key: "last", dir: "desc" }, "symbol"), { key: "symbol", dir: "asc" });
    assert.deepEqual(nextSort({ key: "symbol", dir: "asc" }, "change24h"), { key: "change24h", dir: "desc" });
  });
});

describe("candle series", () => {
  const bars = [toBar({ bucketStart: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }), toBar({ bucketStart: T0 + 60_000, open: 1.5, high: 2, low: 1, close: 1.8, volume: 4 })];
  it("moves the current candle, appends a new bucket, ignores an older one", () => {
    const moved = mergeLiveBar(bars, { ...bars[1]!, close: 1.9, high: 2.1 });
    assert.equal(moved.kind, "update");
    assert.equal(moved.bars.length, 2);
    assert.equal(moved.bars[1]!.close, 1.9);
    const appended = mergeLiveBar(bars, { ...bars[1]!, time: bars[1]!.time + 60 });
    assert.equal(appended.kind, "append");
    assert.equal(appended.bars.length, 3);
    assert.equal(mergeLiveBar(bars, { ...bars[0]!, time: bars[0]!.time - 60 }).kind, "ignore");
    assert.equal(mergeLiveBar([], bars[0]!).kind, "append");
    assert.equal(bars[1]!.close, 1.8, "input not mutated");
  });
  it("picks the symbol's cross-exchange candles of the shown timeframe, oldest first, in seconds", () => {
    const data = feed({
      candles: [
        candle("BTCUSDT", 3, { timeframe: "5m", bucketStart: T0 + 300_000 }),
        candle("BTCUSDT", 2, { timeframe: "5m", bucketStart: T0 }),
        candle("BTCUSDT", 9, { timeframe: "1m" }),
        candle("BTCUSD", 9, { timeframe: "5m" }),
        candle("BTCUSDT", 9, { timeframe: "5m", exchange: "kucoin" }),
      ],
    });
    assert.deepEqual(liveCandlesFor(data, "BTCUSDT", "5m").map((b) => [b.time, b.close]), [[T0 / 1000, 2], [T0 / 1000 + 300, 3]]);
  });
});
