// The dashboard's data-completeness indicator, pure parts: GET /completeness rows
// → the state and words per exchange (complete, pending, lost, unknown; BitMEX by
// time range), live notify/gap events applied on top and settled by later
// answers, the header's compact form, and the gap topic and payload checks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CompletenessRow } from "../../contracts/api.ts";
import type { GapNotification } from "../../contracts/completeness.ts";
import { parseGapTopic, priceFeedGapTopic, priceFeedDataTopic } from "../../contracts/topics.ts";
import {
  applyGapEvent, compactText, completenessRange, GAP_SETTLE_MS, lastGapText, NO_LIVE_GAPS, overallCompleteness, parseGapEvent, settleLiveGaps, storeSymbolOf, summariseCompleteness,
} from "../../dashboard/src/state/completeness.ts";

const H = Date.parse("2026-12-05T10:00:00Z");
const row = (exchange: string, hourIndex: number, r: Partial<CompletenessRow> = {}): CompletenessRow => ({
  exchange, hour: new Date(H + hourIndex * 3_600_000).toISOString(), mode: "ids", expected: 100, stored: 100, backfilled: 0, knownMissing: 0, pending: 0, pendingGaps: 0, complete: true, ...r,
});
const gap = (kind: GapNotification["kind"], e: Partial<GapNotification> = {}): GapNotification => ({
  kind, exchange: "binance", symbol: "BTCUSDT", base: "BTC", from: "1001", to: "1006", trades: 6, fromTs: H + 60_000, toTs: H + 61_000, at: H + 62_000, ...e,
});
const only = <T>(list: T[]): T => {
  assert.equal(list.length, 1, JSON.stringify(list));
  return list[0]!;
};

describe("completeness indicator: rows → state", () => {
  it("complete when every expected trade is stored, live or backfilled, with the counts it rests on", () => {
    const e = only(summariseCompleteness([row("binance", 0, { backfilled: 12 }), row("binance", 1, { expected: 50, stored: 50 })]));
    assert.equal(e.state, "complete");
    assert.equal(e.mode, "ids");
    assert.equal(e.text, "complete");
    assert.equal(e.detail, "150 of 150 expected trades stored (counted from trade ids) · 12 backfilled over REST");
    assert.deepEqual([e.expected, e.stored, e.missing, e.pending, e.lost], [150, 150, 0, 0, 0]);
  });

  it("pending with what is missing and what of it waits for backfill", () => {
    const e = only(summariseCompleteness([row("binance", 0), row("binance", 1, { stored: 92, pending: 6, pendingGaps: 1, complete: false })]));
    assert.equal(e.state, "pending");
    // 8 missing: 6 in an open gap, 2 not stored yet (still on their way through the queue).
    assert.equal(e.text, "8 trades missing (6 pending backfill)");
    assert.equal(compactText([e]), "8 trades missing");
  });

  it("lost when trades are known unrecoverable, saying the pending ones too", () => {
    const e = only(summariseCompleteness([row("kucoin", 0, { stored: 60, knownMissing: 40 }), row("kucoin", 1, { stored: 97, pending: 3, pendingGaps: 1, complete: false })]));
    assert.equal(e.state, "lost");
    assert.equal(e.text, "40 trades lost (known unrecoverable); 3 trades missing (3 pending backfill)");
    assert.equal(e.detail, "157 of 200 expected trades stored (counted from trade ids)");
    assert.equal(compactText([e]), "40 trades lost");
    const alone = only(summariseCompleteness([row("kucoin", 0, { stored: 99, knownMissing: 1 })]));
    assert.equal(alone.text, "1 trade lost (known unrecoverable)");
  });

  it("BitMEX: tracked by time range, complete with no gap open, pending while one is", () => {
    const bitmex = (r: Partial<CompletenessRow> = {}) => row("bitmex", 0, { mode: "time", expected: null, stored: 3120, backfilled: 40, ...r });
    const done = only(summariseCompleteness([bitmex()]));
    assert.equal(done.state, "complete");
    assert.equal(done.mode, "time");
    assert.equal(done.text, "complete (tracked by time range: no trade ids)");
    assert.equal(done.detail, "3,120 trades stored · 40 backfilled over REST");
    const open = only(summariseCompleteness([bitmex({ pendingGaps: 2, complete: false })]));
    assert.equal(open.state, "pending");
    assert.equal(open.text, "2 gaps open, backfill under way (tracked by time range: no trade ids)");
  });

  it("unknown when no hour has a collector report; hours without one are said beside tracked ones", () => {
    const untracked = (i: number) => row("binance", i, { mode: null, expected: null, stored: 10, complete: false });
    const none = only(summariseCompleteness([untracked(0), untracked(1)]));
    assert.equal(none.state, "unknown");
    assert.equal(none.mode, null);
    assert.match(none.text, /^unknown: no collector report/);
    const some = only(summariseCompleteness([untracked(0), untracked(1), row("binance", 2)]));
    assert.equal(some.state, "complete");
    assert.equal(some.text, "complete in the 1 hour tracked");
    assert.equal(some.detail, "100 of 100 expected trades stored (counted from trade ids) · 2 hours without a collector report (20 trades)");
    // An hour's candle may hold more than the report expected (history, the webhook, trades after the report): only the expected count.
    const more = only(summariseCompleteness([row("binance", 0, { stored: 180 }), row("binance", 1, { stored: 0, mode: null, expected: null, complete: false })]));
    assert.equal(more.detail, "100 of 100 expected trades stored (counted from trade ids) · 1 hour without a collector report");
    assert.equal(none.detail, "2 hours without a collector report (20 trades)");
    assert.deepEqual(summariseCompleteness([]), []);
    assert.equal(compactText([]), "completeness unknown");
  });

  it("one entry per exchange, by name; the header takes the worst known state", () => {
    const list = summariseCompleteness([row("kucoin", 0), row("binance", 0, { stored: 95, pending: 5, pendingGaps: 1, complete: false }), row("bitmex", 0, { mode: "time", expected: null })]);
    assert.deepEqual(list.map((e) => [e.exchange, e.state]), [["binance", "pending"], ["bitmex", "complete"], ["kucoin", "complete"]]);
    assert.equal(overallCompleteness(list), "pending");
    assert.equal(overallCompleteness(summariseCompleteness([row("kucoin", 0), row("binance", 0, { mode: null, expected: null, complete: false })])), "complete");
    assert.equal(compactText(summariseCompleteness([row("kucoin", 0)])), "data complete");
  });

  it("covers the last 24 UTC hours, the current one included", () => {
    const now = H + 25 * 60_000;
    const { from, to } = completenessRange(now);
    assert.equal(to, now);
    assert.equal(from, H - 23 * 3_600_000);
  });
});

describe("completeness indicator: live gaps", () => {
  it("an opened gap shows pending at once; its filled event clears it and is the exchange's last gap", () => {
    const rows = [row("binance", 0)];
    const opened = applyGapEvent(NO_LIVE_GAPS, gap("opened"), "BTCUSDT", H + 63_000);
    const pending = only(summariseCompleteness(rows, opened));
    assert.equal(pending.state, "pending");
    assert.equal(pending.text, "6 trades missing (6 pending backfill)");
    assert.equal(lastGapText(pending.last!), "last gap: 6 trades, opened, backfill under way");
    // The same event twice (a redelivery) is one gap.
    assert.equal(applyGapEvent(opened, gap("opened"), "BTCUSDT", H + 64_000).open.length, 1);
    const filled = applyGapEvent(opened, gap("filled"), "BTCUSDT", H + 65_000);
    const done = only(summariseCompleteness(rows, filled));
    assert.equal(done.state, "complete");
    assert.equal(done.last?.kind, "filled");
    assert.equal(lastGapText(done.last!), "last gap: 6 trades, filled over REST");
  });

  it("a lost event clears the gap it covers and is said as lost until the answer counts it", () => {
    const opened = applyGapEvent(NO_LIVE_GAPS, gap("opened", { from: "1001", to: "1100", trades: 100 }), "BTCUSDT", H);
    const lost = applyGapEvent(opened, gap("lost", { from: "1001", to: "1040", trades: 40 }), "BTCUSDT", H + 1000);
    assert.equal(lost.open.length, 0);
    assert.equal(lastGapText(lost.last.binance!), "last gap: 40 trades, lost (older than the exchange's REST history)");
  });

  it("a gap of the coin's other symbols is not this one's: XBTUSD is BTCUSD, BTC-USDT is BTCUSDT", () => {
    assert.equal(storeSymbolOf("XBTUSD"), "BTCUSD");
    assert.equal(storeSymbolOf("BTC-USDT"), "BTCUSDT");
    assert.equal(storeSymbolOf("ETHUSDT"), "ETHUSDT");
    const other = gap("opened", { exchange: "bitmex", symbol: "XBTUSD", from: String(H), to: String(H + 5000), trades: 0 });
    assert.equal(applyGapEvent(NO_LIVE_GAPS, other, "BTCUSDT", H), NO_LIVE_GAPS);
    const kucoin = applyGapEvent(NO_LIVE_GAPS, gap("opened", { exchange: "kucoin", symbol: "BTC-USDT" }), "BTCUSDT", H);
    assert.equal(kucoin.open.length, 1);
    // A BitMEX time range opens with its trades unknown: pending by gaps, not by trades.
    const bitmex = only(summariseCompleteness([], applyGapEvent(NO_LIVE_GAPS, other, "BTCUSD", H)));
    assert.deepEqual([bitmex.state, bitmex.mode, bitmex.text], ["pending", "time", "1 gap open, backfill under way (tracked by time range: no trade ids)"]);
    assert.equal(lastGapText(bitmex.last!), "last gap: a time range, opened, backfill under way");
  });

  it("an answer asked long enough after a gap arrived, with nothing pending, settles it (its filled event was missed)", () => {
    const opened = applyGapEvent(NO_LIVE_GAPS, gap("opened"), "BTCUSDT", H);
    const clean = [row("binance", 0)];
    assert.equal(settleLiveGaps(opened, clean, H + GAP_SETTLE_MS - 1), opened, "too soon: the store may not show the report yet");
    assert.equal(settleLiveGaps(opened, clean, H + GAP_SETTLE_MS).open.length, 0);
    const stillPending = [row("binance", 0, { stored: 94, pending: 6, pendingGaps: 1, complete: false })];
    assert.equal(settleLiveGaps(opened, stillPending, H + GAP_SETTLE_MS).open.length, 1, "the answer has it pending too");
  });

  it("takes only well-formed gap payloads on the coin's gap topic", () => {
    assert.equal(parseGapTopic(priceFeedGapTopic("BTC")), "BTC");
    assert.equal(parseGapTopic(priceFeedDataTopic("BTC")), null);
    assert.equal(parseGapTopic("cryptoviz/price-feed/btc/notify/gap"), null);
    assert.equal(parseGapTopic("cryptoviz/price-feed/BTC/notify/gap/x"), null);
    assert.deepEqual(parseGapEvent(gap("filled")), gap("filled"));
    assert.equal(parseGapEvent(null), undefined);
    assert.equal(parseGapEvent({ ...gap("opened"), kind: "closed" }), undefined);
    assert.equal(parseGapEvent({ ...gap("opened"), from: "abc" }), undefined);
    assert.equal(parseGapEvent({ ...gap("opened"), trades: -1 }), undefined);
    assert.equal(parseGapEvent({ ...gap("opened"), exchange: "" }), undefined);
  });
});
