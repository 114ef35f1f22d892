import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bucketStart } from "../../lib/candles/bucketStart.ts";
import { buildCandleSearches } from "../../lib/store/candleAggregation.ts";
import { candleFromTrades } from "../../lib/candles/candleFromTrades.ts";
import { CANDLE_LEVELS, CANDLE_ROUNDS } from "../../lib/candles/candleLevels.ts";
import { candleTargets } from "../../lib/store/candleTargets.ts";
import { ALL_EXCHANGES, candleDocId } from "../../lib/store/documentIds.ts";
import { IndexNames } from "../../lib/store/IndexNames.ts";
import { mergeCandles } from "../../lib/candles/mergeCandles.ts";
import type { AnyCandle, Candle, MarketTrade } from "../../lib/store/types.ts";
import { candleDiff, genTrades, refCandles, TFS } from "./reference.ts";

const start = Date.parse("2024-12-29T22:00:00Z"); // a Sunday night: weeks, days, months and years roll over

/** Runs the derivation graph of candleLevels in memory with the pure functions. */
function cascade(trades: MarketTrade[]): Map<string, AnyCandle> {
  const out = new Map<string, AnyCandle>();
  for (const level of CANDLE_LEVELS) {
    const groups = new Map<string, { scope: string; symbol: string; start: number; parts: (MarketTrade | AnyCandle)[] }>();
    const sources: (MarketTrade | AnyCandle)[] =
      level.source === "trades"
        ? trades
        : [...out.values()].filter((c) => c.timeframe === level.source && c.exchange !== ALL_EXCHANGES);
    for (const s of sources) {
      const scope = level.scope === "all" ? ALL_EXCHANGES : s.exchange;
      const b = bucketStart(level.timeframe, "time" in s ? s.time : s.bucketStart);
      const k = candleDocId(scope, s.symbol, level.timeframe, b);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { scope, symbol: s.symbol, start: b, parts: [] }));
      g.parts.push(s);
    }
    for (const [k, g] of groups) {
      const c =
        level.source === "trades"
          ? candleFromTrades(g.scope, g.symbol, level.timeframe, g.start, g.parts as MarketTrade[])
          : mergeCandles(g.scope, g.symbol, level.timeframe, g.start, g.parts as AnyCandle[]);
      out.set(k, c as AnyCandle);
    }
  }
  return out;
}

describe("candle arithmetic", () => {
  test("candleFromTrades matches the sorted-trades reference", () => {
    const trades = genTrades({ seed: 1, count: 400, start, spanMs: 50_000, exchanges: ["binance"], symbols: ["BTCUSDT"] });
    const minute = bucketStart("1m", start);
    const inMinute = trades.filter((t) => bucketStart("1m", t.time) === minute);
    const got = candleFromTrades("binance", "BTCUSDT", "1m", minute, inMinute) as Candle;
    const want = refCandles(inMinute).get(`binance|BTCUSDT|1m|${minute}`) as Candle;
    assert.equal(candleDiff(got, want), undefined);
    assert.equal(candleFromTrades("binance", "BTCUSDT", "1m", minute, []), undefined);
  });

  test("ties in time are broken by exchange, then trade id", () => {
    const t0 = start;
    const trades: MarketTrade[] = [
      { exchange: "kucoin", symbol: "X", tradeId: "a", price: 1, size: 1, time: t0 },
      { exchange: "binance", symbol: "X", tradeId: "b", price: 2, size: 1, time: t0 },
      { exchange: "binance", symbol: "X", tradeId: "a", price: 3, size: 1, time: t0 },
    ];
    const c = candleFromTrades("all", "X", "1m", bucketStart("1m", t0), trades) as Candle;
    assert.equal(c.open, 3); // binance/a
    assert.equal(c.close, 1); // kucoin/a
  });

  test("the derivation graph (mergeCandles over sub-buckets and exchanges) equals candles from trades, for all 8 timeframes and both scopes", () => {
    const trades = genTrades({ seed: 2, count: 3000, start, spanMs: 9 * 86_400_000 });
    const all = cascade(trades);
    const got = new Map([...all].filter(([, c]) => c.timeframe !== "1s"));
    const want = refCandles(trades);
    assert.equal(got.size, want.size);
    assert.ok(all.size > got.size, "per-second partials were computed too");
    for (const [k, w] of want) {
      const g = got.get(k);
      assert.ok(g, `missing ${k}`);
      assert.equal(candleDiff(g, w), undefined, k);
    }
    for (const tf of TFS) assert.ok([...want.values()].some((c) => c.timeframe === tf && c.exchange === "all"));
  });

  test("rounds only read what earlier rounds produced", () => {
    const roundOf = new Map(CANDLE_LEVELS.map((l) => [`${l.scope}:${l.timeframe}`, l.round]));
    for (const l of CANDLE_LEVELS) {
      if (l.source === "trades") assert.equal(l.round, 1);
      else assert.ok((roundOf.get(`exchange:${l.source}`) as number) < l.round, `${l.scope}:${l.timeframe}`);
    }
    assert.equal(CANDLE_ROUNDS.flat().length, 17);
    assert.equal(CANDLE_ROUNDS.length, 4, "1s; 1m; 5m 15m 30m 1h; 4h 1d 1w");
  });
});

describe("candle targets and searches", () => {
  const names = new IndexNames("p-");
  test("each touched candle appears once per round with the keys of every record in it", () => {
    const t = Date.parse("2024-05-06T10:07:30Z");
    const trades = [
      { key: "r1", item: { exchange: "binance", symbol: "BTCUSDT", time: t } },
      { key: "r2", item: { exchange: "binance", symbol: "BTCUSDT", time: t + 1000 } },
      { key: "r2", item: { exchange: "kucoin", symbol: "BTCUSDT", time: t + 60_000 } },
    ];
    const rounds = candleTargets(trades, names);
    assert.deepEqual((rounds[0] ?? []).map((x) => [x.id, x.owners.sort()]).sort(), [
      [candleDocId("binance", "BTCUSDT", "1s", Date.parse("2024-05-06T10:07:30Z")), ["r1"]],
      [candleDocId("binance", "BTCUSDT", "1s", Date.parse("2024-05-06T10:07:31Z")), ["r2"]],
      [candleDocId("kucoin", "BTCUSDT", "1s", Date.parse("2024-05-06T10:08:30Z")), ["r2"]],
    ]);
    assert.deepEqual((rounds[1] ?? []).filter((x) => x.scope !== "all").map((x) => [x.id, x.owners.sort()]).sort(), [
      [candleDocId("binance", "BTCUSDT", "1m", Date.parse("2024-05-06T10:07:00Z")), ["r1", "r2"]],
      [candleDocId("kucoin", "BTCUSDT", "1m", Date.parse("2024-05-06T10:08:00Z")), ["r2"]],
    ]);
    const all1w = rounds.flat().filter((x) => x.scope === "all" && x.level.timeframe === "1w");
    assert.equal(all1w.length, 1);
    assert.deepEqual(all1w[0]?.owners.sort(), ["r1", "r2"]);
    assert.equal(all1w[0]?.index, "p-candles-1w-2024");
  });

  test("a week that spans a new year reads both yearly 1h indices", () => {
    const t = Date.parse("2025-01-01T12:00:00Z");
    const rounds = candleTargets([{ key: "k", item: { exchange: "binance", symbol: "BTCUSDT", time: t } }], names);
    const weekly = rounds.flat().filter((x) => x.scope === "binance" && x.level.timeframe === "1w");
    const [search] = buildCandleSearches(weekly, names);
    assert.deepEqual(search?.indices, ["p-candles-1h-2024", "p-candles-1h-2025"]);
  });
});
