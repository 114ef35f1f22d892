import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFormattedDate } from "../../lib/scraper/parseFormattedDate.ts";
import { parseFormattedNumber } from "../../lib/scraper/parseFormattedNumber.ts";
import { postProcessRecord } from "../../lib/scraper/postProcess.ts";
import { UrlResolver } from "../../lib/scraper/resolveUrl.ts";

describe("post-processing declared in the config", () => {
  it("parses dates with a given format and timezone", () => {
    assert.equal(parseFormattedDate("Nov 22, 2026 - 09:40", "MMM d, yyyy - HH:mm"), "2026-11-22T09:40:00.000Z");
    assert.equal(parseFormattedDate("22/11/2026 11:40", "dd/MM/yyyy HH:mm", "+02:00"), "2026-11-22T09:40:00.000Z");
    assert.equal(parseFormattedDate("September 3, 2026 7:05 PM", "MMMM d, yyyy h:mm a"), "2026-09-03T19:05:00.000Z");
    assert.equal(parseFormattedDate("Published 2026-11-22 at 10:00 UTC", "'Published' yyyy-MM-dd 'at' HH:mm 'UTC'"), "2026-11-22T10:00:00.000Z");
    assert.equal(parseFormattedDate("2026-11-22T10:02:00+01:00", "iso"), "2026-11-22T09:02:00.000Z");
    assert.throws(() => parseFormattedDate("31/02/2026 10:00", "dd/MM/yyyy HH:mm"), /not a valid date/);
    assert.throws(() => parseFormattedDate("yesterday", "dd/MM/yyyy"), /does not match/);
  });

  it("parses numbers as pages show them", () => {
    assert.equal(parseFormattedNumber("$ 97,412.35"), 97412.35);
    assert.equal(parseFormattedNumber("-1.24%"), -1.24);
    assert.equal(parseFormattedNumber("\u22123.6 %"), -3.6);
    assert.equal(parseFormattedNumber("1.234,50 €", { decimal: "," }), 1234.5);
    assert.equal(parseFormattedNumber("$ 1.93 T", { units: true }), 1.93e12);
    assert.equal(parseFormattedNumber("$41.27B", { units: true }), 41_270_000_000);
    assert.equal(parseFormattedNumber("12.5K", { units: true }), 12_500);
    assert.throws(() => parseFormattedNumber("n/a"), /not a number/);
  });

  it("applies steps in order per field; a failing step drops that field with an error, the rest stays", () => {
    const record = {
      fields: { title: "  Hello \n  world ", when: "not a date", path: "/a/b?c=1", tags: ["x, y", " z "], amount: "1,5 M" },
      url: "https://site.test/news/1",
      errors: [],
    };
    const out = postProcessRecord(
      record,
      {
        title: ["trim"],
        when: [{ date: { format: "yyyy-MM-dd" } }],
        path: ["absoluteUrl"],
        tags: [{ split: { separator: "," } }, "uppercase"],
        amount: [{ number: { decimal: ",", units: true } }],
      },
      "https://fallback.test/",
    );
    assert.deepEqual(out.fields, { title: "Hello\nworld", path: "https://site.test/a/b?c=1", tags: ["X", "Y", "Z"], amount: 1_500_000 });
    assert.deepEqual(out.errors, [{ kind: "postProcess", task: "postProcess.when", url: "https://site.test/news/1", field: "when", message: '"not a date" does not match the date format' }]);
    const regex = postProcessRecord({ fields: { sym: "Bitcoin (BTC)" }, errors: [] }, { sym: [{ regex: { pattern: "\\((\\w+)\\)" } }] }, "https://x.test/");
    assert.equal(regex.fields.sym, "BTC");
  });

  it("base-URL override moves the declared origin, keeps other hosts", () => {
    const urls = new UrlResolver("https://u.today", "http://127.0.0.1:8080");
    assert.equal(urls.resolve("/news"), "http://127.0.0.1:8080/news");
    assert.equal(urls.resolve("https://u.today/a?x=1"), "http://127.0.0.1:8080/a?x=1");
    assert.equal(urls.resolve("https://elsewhere.test/a"), "https://elsewhere.test/a");
    assert.equal(new UrlResolver("https://u.today", "http://mirror.test/u").resolve("https://u.today/a"), "http://mirror.test/u/a");
  });
});
