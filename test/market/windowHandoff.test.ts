// When an earlier collection window may stop reading: only once a later window is
// live on every exchange and the earlier one has read up to that window's first
// trades. Anything less and a trade could fall between the two.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { coveredBy, type HandoffNotice } from "../../lib/market/collect/WindowHandoff.ts";

const self = (last: Record<string, Record<string, number>>) => ({
  windowId: "a@1000",
  startedAt: 1000,
  exchanges: ["binance", "kucoin"],
  last: new Map(Object.entries(last).map(([e, m]) => [e, new Map(Object.entries(m))])),
});
const notice = (live: HandoffNotice["live"], windowId = "b@61000", startedAt = 61_000): HandoffNotice => ({ windowId, startedAt, live });

describe("collection window handoff", () => {
  const caughtUp = { binance: { BTCUSDT: 61_500, ETHUSDT: 61_400 }, kucoin: { "BTC-USDT": 61_450 } };
  const live = { binance: { BTCUSDT: 61_200, ETHUSDT: 61_300 }, kucoin: { "BTC-USDT": 61_250 } };

  it("hands off when a later window is live everywhere and this one has read past its first trades", () => {
    assert.equal(coveredBy(notice(live), self(caughtUp)), true);
    assert.equal(coveredBy(notice(live), self({ ...caughtUp, binance: { BTCUSDT: 61_200, ETHUSDT: 61_300 } })), true, "read exactly up to them");
  });

  it("keeps reading while it is behind on any stream both read", () => {
    assert.equal(coveredBy(notice(live), self({ ...caughtUp, binance: { BTCUSDT: 61_500, ETHUSDT: 61_299 } })), false);
  });

  it("keeps reading while the later window has nothing from one exchange", () => {
    assert.equal(coveredBy(notice({ binance: live.binance }), self(caughtUp)), false);
    assert.equal(coveredBy(notice({ ...live, kucoin: {} }), self(caughtUp)), false);
  });

  it("keeps reading when the two share no stream on an exchange (nothing shows this window is not behind there)", () => {
    assert.equal(coveredBy(notice({ ...live, kucoin: { "ETH-USDT": 61_250 } }), self(caughtUp)), false);
  });

  it("ignores its own notice and an earlier window's", () => {
    assert.equal(coveredBy(notice(live, "a@1000", 1000), self(caughtUp)), false);
    assert.equal(coveredBy(notice(live, "z@-59000", -59_000), self(caughtUp)), false);
  });
});
