// utf8Compare must order strings exactly as their UTF-8 bytes (OpenSearch's keyword order).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { utf8Compare } from "../src/text/utf8Compare.ts";

describe("utf8Compare", () => {
  it("agrees with Buffer.compare on strings mixing ASCII, BMP, private-use and astral characters", () => {
    const alphabet = ["a", "Z", "0", "é", "ß", "\u3042", "\uE000", "\uFFFD", "\uFFFF", "\u{1F600}", "\u{10000}", "\u{10FFFF}", ""];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const word = () => Array.from({ length: Math.floor(rand() * 4) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join("");
    for (let i = 0; i < 20_000; i++) {
      const x = word();
      const y = rand() < 0.2 ? x : word();
      const want = Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
      assert.equal(Math.sign(utf8Compare(x, y)), want, `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  });
});
