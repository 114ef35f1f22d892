// Tick sizes per store symbol: the exchanges' own spellings (XBTUSD, BTC-USDT) folded
// into the store's, the finest step winning so that no exchange's price is rounded.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TICK_SIZES, tickSizeOf } from "../../lib/market/exchanges/tickSizes.ts";

describe("tick sizes", () => {
  it("reads an exchange's own spelling as the store symbol", () => {
    assert.equal(tickSizeOf("BTCUSD"), TICK_SIZES.bitmex!.XBTUSD, "Bitmex XBTUSD is the store's BTCUSD");
    assert.equal(tickSizeOf("ETHUSD"), 0.05);
  });
  it("takes the finest step among the exchanges listing a symbol", () => {
    assert.equal(TICK_SIZES.kucoin!["BTC-USDT"], 0.1);
    assert.equal(tickSizeOf("BTCUSDT"), 0.01, "Binance's 0.01, not Kucoin's 0.1");
  });
  it("knows nothing of a symbol no exchange table lists", () => {
    assert.equal(tickSizeOf("PROBEUSDT"), undefined);
  });
});
