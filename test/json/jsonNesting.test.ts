import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findExcessiveNesting, JSON_DEPTH_LIMIT, nestingReason } from "../../lib/json/jsonNesting.ts";

const nested = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

describe("findExcessiveNesting", () => {
  it("accepts nesting up to the limit and points at the bracket one level past it", () => {
    assert.equal(findExcessiveNesting(nested(JSON_DEPTH_LIMIT)), undefined);
    const found = findExcessiveNesting(nested(JSON_DEPTH_LIMIT + 1));
    assert.deepEqual(found, { depth: JSON_DEPTH_LIMIT + 1, offset: JSON_DEPTH_LIMIT * 5 });
    assert.match(nestingReason(found!), /limit of 32 levels/);
  });

  it("counts arrays and objects alike, and levels closed before do not add up", () => {
    assert.equal(findExcessiveNesting("[[[]]]", 3), undefined);
    assert.equal(findExcessiveNesting("[[[[]]]]", 3)?.depth, 4);
    assert.equal(findExcessiveNesting('[{"a":[1]},{"b":[2]},[[3]]]', 3), undefined);
  });

  it("ignores brackets inside strings, escaped quotes included", () => {
    assert.equal(findExcessiveNesting(JSON.stringify({ title: "[[[[{{{{" + '\\"[[[[' }), 1), undefined);
    assert.equal(findExcessiveNesting('["\\\\", [[]]]', 2)?.depth, 3, "an escaped backslash ends before the closing quote");
  });

  it("scans 17,000 levels without recursing (the probe's body)", () => {
    const found = findExcessiveNesting('{"k":'.repeat(17_000) + "1" + "}".repeat(17_000));
    assert.equal(found?.depth, JSON_DEPTH_LIMIT + 1);
  });
});
