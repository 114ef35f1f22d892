import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UnderlyingPrice } from "../../localcloud/market-sim/UnderlyingPrice.ts";

describe("underlying price path", () => {
  const t0 = Date.parse("2026-12-01T00:00:00Z");

  it("is a function of seed and absolute time: the same for two instances, another for another seed", () => {
    const a = new UnderlyingPrice("s", 0.00015);
    const b = new UnderlyingPrice("s", 0.00015);
    const c = new UnderlyingPrice("t", 0.00015);
    for (const ts of [t0, t0 + 1234, t0 - 86_400_000]) {
      assert.equal(a.usd("BTC", ts), b.usd("BTC", ts));
      assert.notEqual(a.usd("BTC", ts), c.usd("BTC", ts));
    }
    assert.equal(a.usd("USDT", t0), 1, "stablecoins stay at 1");
    assert.equal(a.price("BTC", "USDT", t0), a.usd("BTC", t0));
  });

  it("moves like a market: ~volatility per second, a few per cent a day, around the asset's level", () => {
    const p = new UnderlyingPrice("s", 0.00015);
    const returns: number[] = [];
    for (let i = 0; i < 3600; i++) returns.push(Math.log(p.usd("BTC", t0 + (i + 1) * 1000) / p.usd("BTC", t0 + i * 1000)));
    const sd = Math.sqrt(returns.reduce((s, r) => s + r * r, 0) / returns.length);
    assert.ok(sd > 0.00003 && sd < 0.0006, `1 s log-return sd ${sd}`);
    const day = Array.from({ length: 48 }, (_, i) => p.usd("BTC", t0 + i * 1_800_000));
    const range = (Math.max(...day) - Math.min(...day)) / Math.min(...day);
    assert.ok(range > 0.002 && range < 0.25, `a day's range ${(range * 100).toFixed(2)} %`);
    assert.ok(day.every((v) => v > 60_000 && v < 150_000), "around BTC's level");
  });
});
