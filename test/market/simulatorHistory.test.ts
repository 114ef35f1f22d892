// The simulator keeps a bounded REST history per stream: the last `historyLimit`
// trades and none older than `historyMs`, so a long demo levels off in memory.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MarketStream } from "../../localcloud/market-sim/MarketStream.ts";
import { UnderlyingPrice } from "../../localcloud/market-sim/UnderlyingPrice.ts";

const params = { tradesPerSecond: 100, quotesPerSecond: 0, spreadBps: 2, basisBps: 2, noiseBps: 0.5, notional: 1000 };

function run(historyLimit: number, historyMs: number, seconds: number): MarketStream {
  const t0 = Date.UTC(2026, 11, 6);
  const stream = new MarketStream("history", "binance", "BTCUSDT", "BTC", "USDT", { ...params, historyLimit, historyMs }, new UnderlyingPrice("history", 0.00015), t0);
  for (let s = 1; s <= seconds; s++) stream.advance(t0 + s * 1000, 1000);
  return stream;
}

describe("market simulator history", () => {
  it("drops trades older than historyMs (checked every 1,024 trades), keeping the ids consecutive", () => {
    const stream = run(1_000_000, 60_000, 600); // 60,000 trades over 10 minutes, a minute kept
    const { first, next } = stream.historyRange;
    assert.equal(next, 60_000);
    const kept = next - first;
    assert.ok(kept >= 6_000 && kept <= 6_000 + 1_024, `kept ${kept}`);
    const trades = stream.tradesFrom(first, kept);
    assert.equal(trades.length, kept);
    assert.ok(trades.every((t, i) => i === 0 || t.seq === trades[i - 1]!.seq + 1));
    assert.ok(trades[0]!.ts >= Date.UTC(2026, 11, 6) + 600_000 - 60_000 - 11_000, "nothing much older than a minute (+ one check's worth)");
  });

  it("keeps at most historyLimit (+10 %) whatever their age", () => {
    const { first, next } = run(5_000, 3_600_000, 300).historyRange;
    assert.ok(next - first <= 5_500 && next - first >= 5_000, `kept ${next - first}`);
  });
});
