// Unit tests of the endpoint's pure parts: date formats and date math,
// calendar rounding, the analyser, _source filtering, filter_path and
// minimum_should_match.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compileDateFormat, DEFAULT_DATE_FORMAT } from "../src/time/dateFormat.ts";
import { addUnits, parseDateMath, roundDown } from "../src/time/dateMath.ts";
import { parseTimeZone } from "../src/time/timeZone.ts";
import { getAnalyzer } from "../src/text/analyzer.ts";
import { applySourceFilter, parseSourceFilter } from "../src/hits/sourceFilter.ts";
import { applyFilterPath } from "../src/http/applyFilterPath.ts";
import { resolveMsm } from "../src/query/parseQuery.ts";
import { versionConflict } from "../src/errors.ts";

const def = compileDateFormat(DEFAULT_DATE_FORMAT);

describe("date formats", () => {
  it("parses the default format's shapes and epoch millis", () => {
    assert.equal(def.parse("2024-03-05T10:20:30Z"), Date.UTC(2024, 2, 5, 10, 20, 30));
    assert.equal(def.parse("2024-03-05T10:20:30.123456Z"), Date.UTC(2024, 2, 5, 10, 20, 30, 123));
    assert.equal(def.parse("2024-03-05T10:20:30+02:00"), Date.UTC(2024, 2, 5, 8, 20, 30));
    assert.equal(def.parse("2024-03-05"), Date.UTC(2024, 2, 5));
    assert.equal(def.parse("2024-03"), Date.UTC(2024, 2, 1));
    assert.equal(def.parse(1709634030000), 1709634030000);
    assert.equal(def.parse("1709634030000"), 1709634030000);
    assert.equal(def.tryParse("2024-02-30"), null);
    assert.equal(def.tryParse("yesterday"), null);
  });

  it("fills missing components with their maximum when rounding up", () => {
    assert.equal(def.parse("2024-03-05", undefined, true), Date.UTC(2024, 2, 6) - 1);
    assert.equal(def.parse("2024-02", undefined, true), Date.UTC(2024, 2, 1) - 1);
    assert.equal(def.parse("2024-03-05T10:20", undefined, true), Date.UTC(2024, 2, 5, 10, 21) - 1);
  });

  it("parses and prints custom patterns and named formats", () => {
    const f = compileDateFormat("yyyy/MM/dd HH:mm:ss||epoch_second");
    assert.equal(f.parse("2024/03/05 01:02:03"), Date.UTC(2024, 2, 5, 1, 2, 3));
    assert.equal(f.parse("1700000000"), 1_700_000_000_000);
    assert.equal(f.format(Date.UTC(2024, 2, 5, 1, 2, 3)), "2024/03/05 01:02:03");
    assert.equal(def.format(Date.UTC(2024, 0, 1), parseTimeZone("+01:00")), "2024-01-01T01:00:00.000+01:00");
    assert.equal(compileDateFormat("basic_date").format(Date.UTC(2024, 11, 31)), "20241231");
  });
});

describe("date math", () => {
  const now = Date.UTC(2024, 4, 15, 13, 45, 12, 500); // a Wednesday
  it("evaluates now-relative expressions with rounding", () => {
    assert.equal(parseDateMath("now", def, { now }), now);
    assert.equal(parseDateMath("now-6h/h", def, { now }), Date.UTC(2024, 4, 15, 7));
    assert.equal(parseDateMath("now/d", def, { now }), Date.UTC(2024, 4, 15));
    assert.equal(parseDateMath("now/d", def, { now, roundUp: true }), Date.UTC(2024, 4, 16) - 1);
    assert.equal(parseDateMath("now/w", def, { now }), Date.UTC(2024, 4, 13));
    assert.equal(parseDateMath("now-1M/M", def, { now }), Date.UTC(2024, 3, 1));
    assert.equal(parseDateMath("now+1y-2d", def, { now }), Date.UTC(2025, 4, 13, 13, 45, 12, 500));
  });

  it("evaluates anchored expressions and month ends", () => {
    assert.equal(parseDateMath("2024-01-31||+1M", def), Date.UTC(2024, 1, 29));
    assert.equal(parseDateMath("2024-01-01||+1M/d", def), Date.UTC(2024, 1, 1));
    assert.equal(parseDateMath("2024-01-10T12:00:00Z||/M", def, { roundUp: true }), Date.UTC(2024, 1, 1) - 1);
  });

  it("rounds in a time zone", () => {
    const paris = parseTimeZone("Europe/Paris");
    // 2024-03-31 is the spring-forward day in Paris: local midnight is 23:00 UTC the day before
    assert.equal(roundDown(Date.UTC(2024, 2, 31, 12), "day", paris), Date.UTC(2024, 2, 30, 23));
    assert.equal(addUnits(Date.UTC(2024, 2, 30, 23), "day", 1, paris), Date.UTC(2024, 2, 31, 22));
    assert.equal(roundDown(Date.UTC(2024, 2, 31, 12), "day", parseTimeZone("-05:00")), Date.UTC(2024, 2, 31, 5));
  });

  it("rejects malformed expressions", () => {
    assert.throws(() => parseDateMath("now-6x", def), /unit/);
    assert.throws(() => parseDateMath("now*2", def), /operator/);
  });
});

describe("analyzer", () => {
  const std = getAnalyzer("standard");
  it("lowercases and splits on non-alphanumerics, keeping in-word punctuation", () => {
    assert.deepEqual(std("Bitcoin's ETF-approval: 3.5% up, U.S. rally!").map((t) => t.term), ["bitcoin's", "etf", "approval", "3.5", "up", "u.s", "rally"]);
    assert.deepEqual(std("a  b").map((t) => t.position), [0, 1]);
  });
  it("drops English stop words in the stop analyzer but keeps positions", () => {
    assert.deepEqual(getAnalyzer("stop")("The price of Bitcoin").map((t) => [t.term, t.position]), [["price", 1], ["bitcoin", 3]]);
  });
});

describe("_source filtering", () => {
  const src = { a: 1, b: { c: 2, d: { e: 3 } }, list: [{ x: 1, y: 2 }, { x: 3 }], s: "x" };
  it("includes and excludes dotted paths with wildcards", () => {
    assert.deepEqual(applySourceFilter(src, parseSourceFilter(["a", "b.d"])), { a: 1, b: { d: { e: 3 } } });
    assert.deepEqual(applySourceFilter(src, parseSourceFilter({ excludes: ["b.c", "list.y"] })), { a: 1, b: { d: { e: 3 } }, list: [{ x: 1 }, { x: 3 }], s: "x" });
    assert.deepEqual(applySourceFilter(src, parseSourceFilter("b.*")), { b: { c: 2, d: { e: 3 } } });
    assert.deepEqual(applySourceFilter(src, parseSourceFilter({ includes: ["list.x"] })), { list: [{ x: 1 }, { x: 3 }] });
  });
});

describe("filter_path", () => {
  it("keeps matching paths through arrays, with * and ** and exclusions", () => {
    const body = { took: 1, hits: { total: { value: 2 }, hits: [{ _id: "a", _source: { x: 1 } }, { _id: "b", _source: { x: 2 } }] } };
    assert.deepEqual(applyFilterPath(body, "hits.hits._id"), { hits: { hits: [{ _id: "a" }, { _id: "b" }] } });
    assert.deepEqual(applyFilterPath(body, "took,hits.total.*"), { took: 1, hits: { total: { value: 2 } } });
    assert.deepEqual(applyFilterPath(body, "**.x"), { hits: { hits: [{ _source: { x: 1 } }, { _source: { x: 2 } }] } });
    assert.deepEqual(applyFilterPath(body, "-hits"), { took: 1 });
  });

  it("filters a bulk response item by item, the same on every call (matches are memoised per path)", () => {
    const spec = "items.*.status,items.*.result,items.*.error,-items.*.error.caused_by";
    const items = [
      { create: { _index: "t", _id: "1", status: 201, result: "created", _seq_no: 0 } },
      { create: { _index: "t", _id: "2", status: 409, error: { type: "version_conflict_engine_exception", reason: "exists", caused_by: { type: "x" } } } },
      { index: { _index: "t", _id: "3", status: 200, result: "updated" } },
    ];
    const want = { items: [{ create: { status: 201, result: "created" } }, { create: { status: 409, error: { type: "version_conflict_engine_exception", reason: "exists" } } }, { index: { status: 200, result: "updated" } }] };
    for (let i = 0; i < 3; i++) assert.deepEqual(applyFilterPath({ took: 3, errors: true, items }, spec), want);
    assert.deepEqual(applyFilterPath({ took: 1, errors: false, items: [] }, spec), {});
    assert.deepEqual(applyFilterPath({ items: [{ delete: { status: 404, result: "not_found", _id: "9" } }] }, "items.*.status"), { items: [{ delete: { status: 404 } }] });
  });
});

describe("minimum_should_match", () => {
  it("resolves integers, negatives and percentages like OpenSearch", () => {
    assert.equal(resolveMsm(2, 3), 2);
    assert.equal(resolveMsm("-1", 4), 3);
    assert.equal(resolveMsm("75%", 4), 3);
    assert.equal(resolveMsm("-25%", 3), 3);
    assert.equal(resolveMsm("50%", 3), 1);
    assert.equal(resolveMsm(5, 3), 3);
  });
});

describe("SearchError", () => {
  it("captures no stack (an answer to the client; a bulk of duplicate creates makes one per item) and leaves the limit as it was", () => {
    const before = Error.stackTraceLimit;
    const e = versionConflict("t", "uuid", "1", "document already exists (current version [1])");
    assert.equal(e.stack?.split("\n").filter((l) => l.trim().startsWith("at ")).length, 0);
    assert.equal(Error.stackTraceLimit, before);
    assert.ok((new Error("x").stack ?? "").includes(" at "), "other errors keep theirs");
  });
});
