import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GapLedger } from "../../../lib/market/gaps/GapLedger.ts";

const ids = (ledger: GapLedger, seq: number[]) => seq.map((id, i) => ledger.observeId(BigInt(id), 1_000 + i).kind);
const holes = (ledger: GapLedger) => ledger.holes.map((h) => [Number(h.from), Number(h.to)]);

describe("gap ledger: trade ids", () => {
  it("a window: consecutive ids are no gap, a jump is one, a repeat after a reconnect is none", () => {
    const ledger = new GapLedger("ids");
    assert.deepEqual(ids(ledger, [10, 11, 12, 15, 16, 14, 16, 12, 17]), ["first", "next", "next", "gap", "next", "filled", "repeat", "repeat", "next"]);
    assert.deepEqual(holes(ledger), [[13, 13]], "14 arrived late and closed its part of the hole");
    assert.equal(ledger.pending, 1n);
  });

  it("across windows: the saved last id against the next window's first, and the exchange's latest at the end", () => {
    const first = new GapLedger("ids");
    ids(first, [100, 101, 102]);
    assert.equal(first.extendTo(105n, 2_000), first.holes[0], "the end of the window: 103..105 were never read");
    const next = GapLedger.fromJson(JSON.parse(JSON.stringify(first.toJson())));
    assert.deepEqual(ids(next, [104, 109, 110]), ["filled", "gap", "next"]);
    assert.deepEqual(holes(next), [[103, 103], [105, 105], [106, 108]]);
  });

  it("ids beyond 2^53 (Kucoin sequences) stay exact", () => {
    const big = new GapLedger("ids");
    big.observeId(11067996711960577n, 1);
    big.observeId(11067996711960580n, 2);
    assert.deepEqual(big.holes.map((h) => [h.from, h.to]), [[11067996711960578n, 11067996711960579n]]);
    assert.equal(GapLedger.fromJson(big.toJson()).holes[0]!.to, 11067996711960579n);
  });

  it("REST fills and known losses remove spans, splitting holes", () => {
    const ledger = new GapLedger("ids");
    ids(ledger, [1, 20]);
    assert.equal(ledger.remove({ from: 5n, to: 7n }), 3n);
    assert.deepEqual(holes(ledger), [[2, 4], [8, 19]]);
    assert.equal(ledger.remove({ from: 0n, to: 100n }), 15n);
    assert.deepEqual(holes(ledger), []);
  });

  it("two overlapping windows join into what both shipped", () => {
    // Window A shipped 1..50 except 30..32; window B (started late, from a state at 10) shipped 45..60.
    const a = new GapLedger("ids");
    ids(a, [1, 29, 33, 50]);
    a.remove({ from: 2n, to: 28n });
    a.remove({ from: 34n, to: 49n });
    const b = new GapLedger("ids");
    ids(b, [10, 45, 60]);
    b.remove({ from: 46n, to: 59n });
    assert.deepEqual(holes(b), [[11, 44]]);
    b.join(a);
    assert.deepEqual(holes(b), [[30, 32]], "only what neither shipped");
    assert.equal(b.upTo, 60n);
  });
});

describe("gap ledger: time ranges (no sequence)", () => {
  it("a reconnect or a new window opens a hole from the last shipped trade to the first after it, with the edge ids", () => {
    const ledger = new GapLedger("time");
    assert.equal(ledger.observeTime(1000, "a", true).kind, "first");
    assert.equal(ledger.observeTime(1005, "b", false).kind, "next");
    assert.equal(ledger.observeTime(1005, "c", false).kind, "next");
    const { kind, hole } = ledger.observeTime(1400, "d", true);
    assert.equal(kind, "gap");
    ledger.observeTime(1400, "e", false);
    assert.deepEqual([Number(hole!.from), Number(hole!.to)], [1005, 1400]);
    assert.deepEqual(hole!.seen, ["b", "c", "d", "e"], "ids already shipped at both edges");
    assert.equal(ledger.observeTime(1500, "f", false).kind, "next", "no reconnect: no hole");
  });

  it("a resumed stream that first replays older trades (a snapshot) opens its hole at the first newer one", () => {
    const ledger = new GapLedger("time");
    ledger.observeTime(1000, "a", true);
    assert.equal(ledger.observeTime(900, "old", true).kind, "stale");
    const { kind, hole } = ledger.observeTime(1300, "b", true);
    assert.equal(kind, "gap");
    assert.deepEqual([Number(hole!.from), Number(hole!.to)], [1000, 1300]);
  });
});
