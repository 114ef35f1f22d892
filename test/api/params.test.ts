// Query-parameter validation: every bad parameter is named.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidRequestError, MAX_CANDLES, parseCandleRange, parseInstant, parseInteger, parseOptionalSymbol, parseSymbol, parseTimeframe } from "../../lib/api/params.ts";

const NOW = Date.parse("2026-11-22T10:30:00Z");

function rejects(fn: () => unknown, field: string): void {
  assert.throws(fn, (e: unknown) => e instanceof InvalidRequestError && e.field === field, `expected a 400 naming ${field}`);
}

describe("API query parameters", () => {
  it("symbol: required, upper-cased, 2-20 letters or digits", () => {
    assert.equal(parseSymbol({ symbol: "btcusdt" }), "BTCUSDT");
    assert.equal(parseSymbol({ symbol: " ETH " }), "ETH");
    assert.equal(parseSymbol({ symbol: "A".repeat(20) }), "A".repeat(20));
    for (const bad of [undefined, "", "B", "A".repeat(21), "BTC-USDT", "BTC,ETH", "BTC|X", "*"]) rejects(() => parseSymbol({ symbol: bad }), "symbol");
    assert.equal(parseOptionalSymbol({}), undefined);
    rejects(() => parseOptionalSymbol({ symbol: "b$" }), "symbol");
  });

  it("minutes 1..1440 and top_n 1..100: whole numbers only", () => {
    assert.equal(parseInteger({ minutes: "1" }, "minutes", 1, 1440), 1);
    assert.equal(parseInteger({ minutes: "1440" }, "minutes", 1, 1440), 1440);
    for (const bad of [undefined, "0", "1441", "-1", "1.5", "1e3", "abc", "0x10", " "]) rejects(() => parseInteger({ minutes: bad }, "minutes", 1, 1440), "minutes");
    assert.equal(parseInteger({}, "top_n", 1, 100, 10), 10);
    assert.equal(parseInteger({ top_n: "100" }, "top_n", 1, 100, 10), 100);
    for (const bad of ["0", "101", "ten"]) rejects(() => parseInteger({ top_n: bad }, "top_n", 1, 100, 10), "top_n");
  });

  it("tf: one of the eight timeframes", () => {
    for (const tf of ["1m", "5m", "15m", "30m", "1h", "4h", "1d", "1w"]) assert.equal(parseTimeframe({ tf }), tf);
    for (const bad of [undefined, "1s", "2h", "1H", "60"]) rejects(() => parseTimeframe({ tf: bad }), "tf");
  });

  it("from/to: epoch ms or ISO with a zone, from < to, bounded span", () => {
    assert.equal(parseInstant("1795338785000", "from"), 1795338785000);
    assert.equal(parseInstant("2026-11-22T10:00:00Z", "from"), Date.parse("2026-11-22T10:00:00Z"));
    assert.equal(parseInstant("2026-11-22T11:00:00+01:00", "from"), Date.parse("2026-11-22T10:00:00Z"));
    assert.equal(parseInstant("2026-11-22", "to"), Date.parse("2026-11-22T00:00:00Z"));
    for (const bad of ["2026-11-22T10:00:00", "yesterday", "-5", "2026-13-45T00:00:00Z", "1.5"]) rejects(() => parseInstant(bad, "from"), "from");

    assert.deepEqual(parseCandleRange({ from: "2026-11-22T09:00:00Z", to: "2026-11-22T10:00:00Z" }, "1m", NOW), {
      from: Date.parse("2026-11-22T09:00:00Z"),
      to: Date.parse("2026-11-22T10:00:00Z"),
    });
    // Defaults: to = now, from = 100 candles earlier.
    assert.deepEqual(parseCandleRange({}, "1h", NOW), { from: NOW - 100 * 3_600_000, to: NOW });
    rejects(() => parseCandleRange({ from: "2026-11-22T10:00:00Z", to: "2026-11-22T10:00:00Z" }, "1m", NOW), "from");
    rejects(() => parseCandleRange({ from: "2026-11-22T11:00:00Z", to: "2026-11-22T10:00:00Z" }, "1m", NOW), "from");
    rejects(() => parseCandleRange({ to: "soon" }, "1m", NOW), "to");
    rejects(() => parseCandleRange({ from: "then" }, "1m", NOW), "from");
    const span = { from: "0", to: String(MAX_CANDLES * 60_000) };
    assert.deepEqual(parseCandleRange(span, "1m", NOW), { from: 0, to: MAX_CANDLES * 60_000 });
    rejects(() => parseCandleRange({ ...span, to: String(MAX_CANDLES * 60_000 + 1) }, "1m", NOW), "to");
  });
});
