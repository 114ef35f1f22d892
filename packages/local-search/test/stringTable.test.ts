// The off-heap string table behind document ids and keyword terms: the same answers
// a Map<string, number> gives, UTF-8 byte order as utf8Compare, and no entry limit.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { StringTable } from "../src/index/StringTable.ts";
import { utf8Compare } from "../src/text/utf8Compare.ts";

describe("StringTable", () => {
  it("interns like a Map: one id per distinct string, in first-seen order, found again after growth", () => {
    const table = new StringTable();
    const reference = new Map<string, number>();
    const strings = Array.from({ length: 50_000 }, (_, i) => `binance\u001fBTCUSDT\u001f${i * 7919}`);
    for (const s of [...strings, ...strings.slice(0, 1000)]) {
      const id = table.intern(s);
      if (!reference.has(s)) reference.set(s, reference.size);
      assert.equal(id, reference.get(s));
    }
    assert.equal(table.size, 50_000);
    for (const [s, id] of reference) {
      assert.equal(table.find(s), id);
      assert.equal(table.at(id), s);
    }
    assert.equal(table.find("binance\u001fBTCUSDT\u001f1"), -1, "absent");
    assert.equal(table.find(""), -1);
  });

  it("finds every string at every moment while its hash table doubles bit by bit", () => {
    const table = new StringTable();
    const strings = Array.from({ length: 150_000 }, (_, i) => `kucoin\u001fETHUSDT\u001f${(i * 2654435761) >>> 0}`);
    let state = 7;
    const random = (n: number) => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) % n);
    for (let i = 0; i < strings.length; i++) {
      assert.equal(table.intern(strings[i]!), i);
      // An earlier string, found and interned again to the same id; an absent one not found.
      const j = random(i + 1);
      assert.equal(table.find(strings[j]!), j, `string ${j} after ${i + 1} interned`);
      assert.equal(table.intern(strings[j]!), j, `string ${j} interned again after ${i + 1}`);
      assert.equal(table.find(`absent ${i}`), -1);
    }
    assert.equal(table.size, strings.length);
    strings.forEach((s, i) => assert.equal(table.find(s), i));
  });

  it("keeps any string: empty, non-ASCII, astral, longer than its scratch buffer", () => {
    const table = new StringTable();
    const odd = ["", "é", "日本語", "🚀 to the moon", "a".repeat(5000), "ü".repeat(3000), "\u0000x"];
    const ids = odd.map((s) => table.intern(s));
    assert.deepEqual(ids, [0, 1, 2, 3, 4, 5, 6]);
    odd.forEach((s, i) => {
      assert.equal(table.at(i), s);
      assert.equal(table.find(s), i);
    });
  });

  it("strings that probe the same slots are told apart by their bytes", () => {
    const table = new StringTable();
    // Same UTF-16 length and many shared code units: probing must compare bytes, not trust the slot.
    const many = Array.from({ length: 20_000 }, (_, i) => String.fromCharCode(65 + (i % 26), 65 + ((i / 26) % 26 | 0), 65 + ((i / 676) % 26 | 0), 48 + (i % 10)));
    const distinct = [...new Set(many)];
    for (const s of many) table.intern(s);
    assert.equal(table.size, distinct.length);
    for (const s of distinct) assert.equal(table.at(table.find(s)), s);
  });

  it("compares in UTF-8 byte order, as Lucene sorts terms (utf8Compare)", () => {
    const table = new StringTable();
    const terms = ["b", "a", "ab", "", "Z", "é", "\uffff", "😀", "a\u0000", "A"];
    for (const t of terms) table.intern(t);
    const byTable = terms.map((_, i) => i).sort((a, b) => table.compare(a, b)).map((i) => table.at(i));
    assert.deepEqual(byTable, [...terms].sort(utf8Compare));
    assert.equal(table.compare(2, 2), 0);
  });

  it("holds more strings than a V8 Map can (2^24)", { timeout: 120_000 }, () => {
    const table = new StringTable();
    const n = 2 ** 24 + 10;
    for (let i = 0; i < n; i++) table.intern(`t${i}`);
    assert.equal(table.size, n);
    assert.equal(table.find(`t${n - 1}`), n - 1);
    assert.equal(table.at(2 ** 24 + 3), `t${2 ** 24 + 3}`);
  });
});
