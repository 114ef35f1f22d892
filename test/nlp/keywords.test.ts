import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractKeywords } from "../../lib/nlp/keywords.ts";
import { articleText } from "../../lib/nlp/text/article.ts";
import { singular } from "../../lib/nlp/text/phrases.ts";
import { wink } from "../../lib/nlp/text/wink.ts";
import type { Keyword } from "../../lib/nlp/types.ts";
import { loadNewsFixture, loadNewsFixtures } from "../fixtures/news/index.ts";

const fixtures = loadNewsFixtures();
const STOPWORDS = new Set(["the", "a", "an", "of", "and", "to", "in", "on", "for", "it", "this", "that", "one", "said", "says", "its", "their", "is", "was"]);
const BOILERPLATE = /^(?:share|article|newsletter|subscribe|read|more|updates?)$/i;

const keywordsOf = (name: string, limit = 15) => {
  const f = loadNewsFixture(name);
  return extractKeywords({ title: f.title, body: f.content }, { limit });
};
const find = (list: Keyword[], text: string) => list.find((k) => k.text.toLowerCase() === text.toLowerCase());
const norm = (text: string) => text.toLowerCase().split(/\s+/).map(singular).join(" ");

describe("keywords: well-formed on every fixture", () => {
  for (const f of fixtures) {
    it(`${f.name}: offsets, scores, no duplicates, no stopwords`, () => {
      const input = { title: f.title, body: f.content };
      const full = articleText(input);
      const list = extractKeywords(input, { limit: 15 });
      assert.ok(list.length >= 5, `only ${list.length} keywords`);
      assert.ok(list.length <= 15);
      assert.equal(list[0]!.score, 1, "the best keyword scores 1");
      for (let i = 0; i < list.length; i++) {
        const k = list[i]!;
        assert.equal(full.slice(k.start, k.end), k.text, `offsets of "${k.text}"`);
        assert.ok(k.score > 0 && k.score <= 1);
        if (i > 0) assert.ok(k.score <= list[i - 1]!.score, "highest first");
        assert.ok(!STOPWORDS.has(k.text.toLowerCase()), `stopword "${k.text}"`);
        assert.ok(!k.text.split(/\s+/).every((w) => STOPWORDS.has(w.toLowerCase())), `all stopwords: "${k.text}"`);
        assert.doesNotMatch(k.text, BOILERPLATE);
        assert.match(k.type, /^(?:phrase|COIN|ORG|PERSON|GPE|MONEY|PERCENT|DATE)$/);
      }
      const normalised = list.map((k) => norm(k.text));
      assert.equal(new Set(normalised).size, normalised.length, `case/plural duplicates in ${normalised.join(" | ")}`);
      const coins = list.filter((k) => k.type === "COIN").map((k) => k.text.toLowerCase());
      assert.ok(!(coins.includes("ether") && coins.includes("eth")), "one keyword per coin");
    });
  }

  it("loads the wink model once per process", () => {
    assert.equal(wink(), wink());
  });
});

describe("keywords: expected entities and phrases", () => {
  const expectations: Record<string, [string, string][]> = {
    "market-report-long": [["Bitcoin", "COIN"], ["Mariana Okafor", "PERSON"], ["Federal Reserve", "ORG"], ["Harbor Point Research", "ORG"], ["Solana", "COIN"]],
    "exchange-hack": [["Korvex", "ORG"], ["Redline Forensics", "ORG"], ["hot wallets", "phrase"], ["Tether", "COIN"], ["Priya Natarajan", "PERSON"], ["North Korea", "GPE"]],
    "etf-approval": [["Solana", "COIN"], ["U.S. Securities and Exchange Commission", "ORG"], ["Meridian Asset Management", "ORG"], ["spot Bitcoin ETFs", "phrase"]],
    "flash-short": [["XRP", "COIN"], ["Ripple Labs", "ORG"], ["federal judge", "phrase"]],
    "ambiguous-words": [["Ethereum", "COIN"], ["Fee Atlas", "ORG"], ["Jonah Whitaker", "PERSON"], ["layer-2 networks", "phrase"]],
    "altcoin-tickers": [["Uniswap", "COIN"], ["NEAR Protocol", "COIN"], ["Simone Falk", "PERSON"], ["governance proposal", "phrase"]],
  };
  for (const [name, expected] of Object.entries(expectations)) {
    it(name, () => {
      const list = keywordsOf(name);
      for (const [text, type] of expected) {
        const k = find(list, text);
        assert.ok(k, `"${text}" missing from ${list.map((x) => x.text).join(" | ")}`);
        assert.equal(k.type, type, `type of "${text}"`);
      }
    });
  }

  it("puts the article's subject first", () => {
    assert.equal(keywordsOf("market-report-long")[0]!.text, "Bitcoin");
    assert.equal(keywordsOf("flash-short")[0]!.text, "XRP");
    assert.equal(keywordsOf("etf-approval")[0]!.text, "Solana");
  });

  it("keeps money and percentages, not bare numbers or weekdays", () => {
    const list = keywordsOf("flash-short", 20);
    assert.ok(list.some((k) => k.type === "MONEY" && k.text === "$9.4 billion"));
    assert.ok(list.some((k) => k.type === "PERCENT" && k.text === "12%"));
    assert.ok(!list.some((k) => k.text === "Sunday"));
    assert.ok(!list.some((k) => /^\d+$/.test(k.text)));
  });

  it("ignores boilerplate lines", () => {
    const list = extractKeywords(loadNewsFixture("altcoin-tickers").content, { limit: 50 });
    assert.ok(!list.some((k) => /newsletter|article|market updates/i.test(k.text)), list.map((k) => k.text).join(" | "));
  });
});

describe("keywords: headlines", () => {
  const texts = (list: Keyword[]) => list.map((k) => k.text);
  // [headline, keywords it must give, phrases it must not give]
  const headlines: [string, string[], string[]][] = [
    ["Bitcoin ETF approved by SEC", ["Bitcoin", "SEC", "Bitcoin ETF"], []],
    ["Coinbase lists Solana meme coin", ["Solana", "Solana meme coin", "Coinbase"], ["Coinbase lists", "lists Solana meme coin"]],
    ["Hackers drain $200 million from Ronin bridge", ["Ronin bridge", "$200 million"], ["Hackers drain"]],
    ["Ethereum developers schedule the next upgrade", ["Ethereum developers", "upgrade"], ["Ethereum developers schedule"]],
    ["Exchange taps reserve fund after exploit", ["reserve fund"], ["Exchange taps reserve fund", "Exchange taps"]],
    ["SEC delays decision on Ether ETF", ["SEC", "Ether ETF"], ["SEC delays decision", "delays decision"]],
    ["Circle launches euro stablecoin", ["euro stablecoin"], ["Circle launches euro stablecoin"]],
    ["Altcoins rally as LINK leads", ["LINK"], ["Altcoins rally"]],
    // Nouns that look like verbs stay nouns where they do not agree as one.
    ["Ether price slump rattles leveraged traders", ["Ether price slump"], ["Ether price", "slump rattles"]],
    ["Stablecoin supply surge lifts DeFi yields", ["Stablecoin supply surge", "DeFi yields"], ["Stablecoin supply"]],
    // A Title Case headline alone is read in sentence case.
    ["SEC Approves Spot Solana ETFs", ["SEC", "Solana", "Spot Solana ETFs"], ["SEC Approves", "Approves Spot Solana ETFs"]],
    ["Coinbase Lists Solana Meme Coin", ["Solana", "Solana Meme Coin"], ["Coinbase Lists", "Lists Solana Meme Coin"]],
  ];
  for (const [headline, wanted, unwanted] of headlines) {
    it(headline, () => {
      for (const list of [extractKeywords(headline), extractKeywords({ title: headline, body: "" })]) {
        for (const w of wanted) assert.ok(find(list, w), `"${w}" missing from ${texts(list).join(" | ")}`);
        for (const u of unwanted) assert.ok(!find(list, u), `"${u}" in ${texts(list).join(" | ")}`);
      }
    });
  }

  it("no keyword of a fixture, read the way the consumer sends it (title, blank line, body), starts or ends with a headline verb", () => {
    const verbs = /^(?:lists?|drains?|taps?|rall(?:y|ies)|schedules?|halts?|launches|delays|wins|jumps|leads?)\b|\b(?:lists?|drains?|taps?|rall(?:y|ies)|schedules?|halts?|launches|delays|wins|jumps)$/i;
    for (const f of fixtures) {
      const list = extractKeywords(`${f.title}\n\n${f.content}`, { limit: 15 });
      assert.ok(list.length >= 5, f.name);
      for (const k of list) assert.doesNotMatch(k.text, verbs, `${f.name}: ${texts(list).join(" | ")}`);
    }
  });
});

describe("keywords: deduplication", () => {
  it("a phrase and the more specific phrase it ends are one keyword (ETF / Bitcoin ETF)", () => {
    const text =
      "Investors poured $500 million into the new Bitcoin ETF on its first day. The ETF holds coins with a regulated custodian. " +
      "Analysts expect the Bitcoin ETF to reach $10 billion in assets. Fees on the ETF are among the lowest in the industry.";
    const list = extractKeywords(text, { limit: 20 });
    const etfs = list.filter((k) => /\bETF\b/.test(k.text));
    assert.equal(etfs.length, 1, etfs.map((k) => k.text).join(" | "));
    assert.equal(etfs[0]!.text, "Bitcoin ETF");
  });

  it("case and plural variants are one keyword", () => {
    const text =
      "Hot wallets are a weak point. The exchange kept a hot wallet for withdrawals. Attackers emptied two hot wallets. " +
      "Hot Wallets at other venues were frozen as a precaution.";
    const list = extractKeywords(text, { limit: 20 });
    assert.equal(list.filter((k) => norm(k.text) === "hot wallet").length, 1, list.map((k) => k.text).join(" | "));
  });

  it("an acronym and its expansion are one keyword", () => {
    const text =
      "The Securities and Exchange Commission approved the funds on Monday. The SEC said the products met its listing standards. " +
      "The SEC had delayed the decision twice before.";
    const list = extractKeywords(text, { limit: 20 });
    const sec = list.filter((k) => /SEC|Securities/.test(k.text));
    assert.equal(sec.length, 1, sec.map((k) => k.text).join(" | "));
    assert.equal(sec[0]!.type, "ORG");
  });

  it("a surname after the full name is the same person", () => {
    const text = "Mariana Okafor, head of research at Northgate Digital, said the selling was over. Okafor expects a range of $90,000 to $105,000.";
    const list = extractKeywords(text, { limit: 20 });
    assert.ok(find(list, "Mariana Okafor"));
    assert.ok(!find(list, "Okafor"));
  });

  it("every alias of a coin is one COIN keyword", () => {
    const text = "Ether fell 3% on Tuesday. ETH options expire on Friday, and Ethereum fees are low. Traders sold ETH into the rally.";
    const coins = extractKeywords(text, { limit: 20 }).filter((k) => k.type === "COIN");
    assert.equal(coins.length, 1, coins.map((k) => k.text).join(" | "));
    assert.equal(coins[0]!.text, "ETH", "the most used form");
  });

  it("names joined by 'and' stay separate; fixed names with 'and' stay whole", () => {
    const list = keywordsOf("etf-approval", 30);
    assert.ok(!list.some((k) => k.text.includes("Arca and Cboe")));
    assert.ok(find(list, "U.S. Securities and Exchange Commission"));
  });
});

describe("keywords: options and input forms", () => {
  it("limit (default 10, 0 gives none)", () => {
    const f = loadNewsFixture("market-report-long");
    assert.equal(extractKeywords(f.content).length, 10);
    assert.equal(extractKeywords(f.content, { limit: 3 }).length, 3);
    assert.deepEqual(extractKeywords(f.content, { limit: 0 }), []);
    assert.throws(() => extractKeywords(f.content, { limit: -1 }), RangeError);
  });

  it("empty text gives no keywords", () => {
    assert.deepEqual(extractKeywords(""), []);
    assert.deepEqual(extractKeywords({ title: "", body: "  " }), []);
  });

  it("a title mention raises a keyword", () => {
    const body =
      "The exchange said it would reopen withdrawals next week. Its reserve fund covers the losses, executives said. " +
      "Regulators in Singapore are reviewing the incident. Trading volume fell sharply after the news.";
    const without = extractKeywords(body, { limit: 20 });
    const withTitle = extractKeywords({ title: "Exchange taps reserve fund after hack", body }, { limit: 20 });
    assert.equal(withTitle[0]!.text, "reserve fund");
    // The lead over the runner-up grows (scores are relative to the best).
    const runnerUp = (list: Keyword[]) => list.find((k) => k.text === "Trading volume")!.score;
    assert.ok(runnerUp(withTitle) < runnerUp(without) - 0.1, `${runnerUp(withTitle)} vs ${runnerUp(without)}`);
    assert.ok(find(withTitle, "exchange"), "written as in the body, not as in the headline");
    assert.ok(!withTitle.some((k) => k.text === "Exchange"));
  });

  it("a Title Case headline adds weight without producing junk names", () => {
    const f = loadNewsFixture("exchange-hack");
    const list = extractKeywords({ title: f.title, body: f.content }, { limit: 30 });
    assert.ok(!list.some((k) => /Halts|Withdrawals After/.test(k.text)), list.map((k) => k.text).join(" | "));
  });
});
