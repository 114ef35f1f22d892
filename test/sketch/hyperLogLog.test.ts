import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HLL_REGISTERS, HyperLogLog, hllPoint } from "../../lib/sketch/hyperLogLog.ts";

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const sketchOf = (values: readonly string[]) => values.reduce((s, v) => s.add(v), new HyperLogLog());

describe("HyperLogLog", () => {
  it("counts small sets exactly (linear counting) and ignores repeats", () => {
    assert.equal(new HyperLogLog().count(), 0);
    assert.equal(sketchOf(ids("a", 1)).count(), 1);
    const thirty = ids("did:plc:author", 30);
    assert.equal(sketchOf([...thirty, ...thirty, ...thirty]).count(), 30);
  });

  it("estimates large sets within 3 standard errors (1.6 % each)", () => {
    for (const n of [1_000, 20_000, 200_000]) {
      const estimate = sketchOf(ids(`n${n}`, n)).count();
      assert.ok(Math.abs(estimate - n) / n < 0.05, `${n} distinct estimated as ${estimate}`);
    }
  });

  it("merges by register max: the union of overlapping sets, not their sum", () => {
    const a = sketchOf(ids("u", 3_000));
    const b = sketchOf(ids("u", 5_000).slice(2_000)); // 2,000..4,999: 1,000 shared with a
    const union = new HyperLogLog().merge(a).merge(b);
    assert.deepEqual(union.registers, sketchOf(ids("u", 5_000)).registers, "merging equals sketching the union");
    assert.ok(Math.abs(union.count() - 5_000) < 250, `union ${union.count()}`);
    // Merging the same sketch again changes nothing (idempotent).
    assert.deepEqual(new HyperLogLog().merge(union).merge(union).registers, union.registers);
  });

  it("a point is deterministic and in range; offering points equals adding values", () => {
    const p = hllPoint("did:plc:abc");
    assert.deepEqual(hllPoint("did:plc:abc"), p);
    assert.ok(p.register >= 0 && p.register < HLL_REGISTERS && p.rank >= 1 && p.rank <= 53);
    const values = ids("x", 500);
    const offered = values.reduce((s, v) => s.offer(hllPoint(v)), new HyperLogLog());
    assert.deepEqual(offered.registers, sketchOf(values).registers);
  });

  it("encodes sparse and dense sketches and decodes them unchanged", () => {
    for (const n of [0, 7, 5_000]) {
      const s = sketchOf(ids("e", n));
      const text = s.encode();
      assert.equal(text[0], n === 5_000 ? "d" : "s");
      assert.deepEqual(HyperLogLog.decode(text).registers, s.registers);
    }
    assert.ok(sketchOf(ids("q", 7)).encode().length < 40, "a quiet minute's sketch is a few bytes");
    assert.throws(() => HyperLogLog.decode("xAAAA"), /not an encoded sketch/);
    assert.throws(() => HyperLogLog.decode("dAAAA"), /dense sketch/);
    assert.throws(() => new HyperLogLog().offer({ register: HLL_REGISTERS, rank: 1 }), /register/);
  });
});
