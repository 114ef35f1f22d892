import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ConfigError } from "../../lib/config/ConfigError.ts";
import { coinMatcher } from "../../lib/social/keywords/matchCoins.ts";
import { buildSocialKeywords, readSocialKeywords } from "../../lib/social/keywords/socialKeywords.ts";

const match = coinMatcher(readSocialKeywords({}));

describe("social keywords: matching posts to coins", () => {
  const cases: Array<[string, string[]]> = [
    // Cashtags, tickers in capitals, names in any case.
    ["$ETH looking strong into the weekend", ["ETH"]],
    ["ETH just broke 4k", ["ETH"]],
    ["ethereum gas fees are low again", ["ETH"]],
    ["Bought more Bitcoin today 🚀", ["BTC"]],
    ["#Bitcoin #Ethereum to the moon", ["BTC", "ETH"]],
    // Longest name wins: Bitcoin Cash is BCH, not BTC.
    ["Bitcoin Cash is still around", ["BCH"]],
    // SOL is a ticker in capitals; Spanish "sol" is the sun.
    ["SOL holding above 150", ["SOL"]],
    ["Solana validators upgraded overnight", ["SOL"]],
    // Ambiguous tickers with evidence.
    ["$LINK rallied 14% overnight", ["LINK"]],
    ["Chainlink (LINK) rose 4%", ["LINK"]],
    ["LINK/USDT breaking out on the 4h", ["LINK"]],
    ["LINKUSDT perp funding is negative", ["LINK"]],
    ["Harmony ONE bridge reopened", ["ONE"]],
    ["SOL, AVAX and DOT lead the altcoin rally", ["AVAX", "DOT", "SOL"]],
  ];
  for (const [text, coins] of cases) {
    it(`finds ${coins.join(", ")} in "${text}"`, () => assert.deepEqual(match(text).sort(), coins));
  }

  const none: string[] = [
    "eth is also a letter of the Old English alphabet",
    "Qué bonito el sol de la mañana en la playa",
    "o sol brilha em Lisboa hoje",
    "Click the LINK in my bio for the full story",
    "ONE more day until the weekend!",
    "one of those days, link in bio",
    "Meet me near the dot on the map",
    "The DOGE meme is my favourite dog picture",
    "Just had lunch, nothing to report",
  ];
  for (const text of none) {
    it(`finds no coin in "${text}"`, () => assert.deepEqual(match(text), []));
  }

  it("reports only followed coins (SOCIAL_COINS narrows the file)", () => {
    const onlyBtc = coinMatcher(readSocialKeywords({ SOCIAL_COINS: "btc" }));
    assert.deepEqual(onlyBtc("Bitcoin and Ethereum both up"), ["BTC"]);
    // Still read with the whole coin list: Bitcoin Cash is not taken for Bitcoin.
    assert.deepEqual(onlyBtc("Bitcoin Cash pumps"), []);
  });

  it("follows a coin the file does not list with the coin list's words (SOCIAL_COINS=FIL)", () => {
    const k = readSocialKeywords({ SOCIAL_COINS: "FIL,BTC" });
    assert.deepEqual(k.followed.map((c) => c.symbol), ["FIL", "BTC"]);
    assert.ok(k.followed[0]!.keywords.includes("$FIL"));
    assert.deepEqual(coinMatcher(k)("$FIL storage deals up"), ["FIL"]);
  });

  it("adds keywords from a file, with the ambiguity it declares", () => {
    const dir = mkdtempSync(join(tmpdir(), "social-kw-"));
    const file = join(dir, "keywords.json");
    writeFileSync(file, JSON.stringify({ coins: { BTC: { keywords: ["$BTC", "BTC", "Bitcoin", "SATS", "Satoshis"], ambiguous: ["SATS"] }, ETH: ["ETH", "Ethereum"] } }));
    const k = readSocialKeywords({ SOCIAL_KEYWORDS_FILE: file });
    const m = coinMatcher(k);
    assert.deepEqual(m("stacking satoshis every week"), ["BTC"]);
    assert.deepEqual(m("SATS are cheap"), [], "an ambiguous extra needs evidence");
    assert.deepEqual(m("10,000 SATS bought"), ["BTC"], "a number before it is evidence");
    assert.deepEqual(m("Ether is money"), [], "a word removed from the file no longer matches");
  });

  it("refuses a bad file naming the file and the field", () => {
    assert.throws(() => buildSocialKeywords({ coins: { eth: ["ETH"] } }, "k.json"), (e: unknown) => e instanceof ConfigError && /k\.json: coins\.eth/.test(e.message));
    assert.throws(() => buildSocialKeywords({ coins: { BTC: [] } }, "k.json"), /k\.json: coins\.BTC/);
    assert.throws(() => buildSocialKeywords({ coins: { BTC: ["Ethereum"] } }, "k.json"), /name ethereum is claimed by both/);
    assert.throws(() => readSocialKeywords({ SOCIAL_COINS: "NOTACOIN" }), /SOCIAL_COINS: "NOTACOIN" is neither/);
    assert.throws(() => readSocialKeywords({ SOCIAL_KEYWORDS_FILE: "/nonexistent/k.json" }), /SOCIAL_KEYWORDS_FILE: cannot read/);
  });

  it("ships keywords for every followed coin with its cashtag", () => {
    const k = readSocialKeywords({});
    assert.ok(k.followed.length >= 20);
    for (const c of k.followed) assert.ok(c.keywords.includes(`$${c.symbol}`), `${c.symbol} has its cashtag`);
  });
});
