import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rankSentences, summarize, summarySentences } from "../../lib/nlp/summarize.ts";
import { truncateAtWord } from "../../lib/nlp/summaryLimits.ts";
import { loadNewsFixture, loadNewsFixtures } from "../fixtures/news/index.ts";

const fixtures = loadNewsFixtures();

/** The summary's sentences must be the input's own, whole and in order. */
function assertVerbatimInOrder(text: string, options: { maxSentences?: number; maxChars?: number; title?: string }) {
  const chosen = summarySentences(text, options);
  let previousEnd = -1;
  for (const s of chosen) {
    assert.equal(text.slice(s.start, s.end), s.text, "sentence text is the input slice");
    assert.ok(s.start >= previousEnd, "sentences in article order, no overlap");
    previousEnd = s.end;
  }
  return chosen;
}

describe("summarize: length bound and verbatim sentences", () => {
  it("has the fixtures it needs", () => {
    assert.ok(fixtures.length >= 6);
    assert.ok(fixtures.some((f) => f.content.length > 4000), "a long article");
  });

  for (const f of fixtures) {
    it(`${f.name}: every bound held, sentences verbatim and in order`, () => {
      for (const maxChars of [80, 160, 280, 400, 1000]) {
        for (const maxSentences of [1, 2, 3, 5]) {
          const options = { maxChars, maxSentences, title: f.title };
          const summary = summarize(f.content, options);
          assert.ok(summary.length > 0, "non-empty");
          assert.ok(summary.length <= maxChars, `${summary.length} > ${maxChars}`);
          const chosen = assertVerbatimInOrder(f.content, options);
          const joined = chosen.map((s) => s.text).join(" ");
          if (joined.length <= maxChars) {
            assert.equal(summary, joined);
            // A whole-text answer is one entry; otherwise one entry per sentence.
            if (chosen.length > 1 || joined !== f.content.trim()) assert.ok(chosen.length <= maxSentences);
          } else {
            // Only a single too-long sentence is cut, at a word boundary.
            assert.equal(chosen.length, 1);
            assert.ok(summary.endsWith("…"));
            assert.ok(chosen[0]!.text.startsWith(summary.slice(0, -1)));
            assert.match(chosen[0]!.text.slice(summary.length - 1), /^[\s,;:.\-–—(]/);
          }
        }
      }
    });
  }

  it("the default bound is 3 sentences and 400 characters", () => {
    const long = loadNewsFixture("market-report-long").content;
    const summary = summarize(long);
    assert.ok(summary.length <= 400 && summary.length > 150, `${summary.length}`);
    assert.ok(summarySentences(long).length <= 3);
  });

  it("keeps the lead of the news articles", () => {
    for (const name of ["exchange-hack", "market-report-long", "etf-approval"]) {
      const f = loadNewsFixture(name);
      const lead = f.content.slice(0, f.content.indexOf(".") + 1);
      assert.ok(summarize(f.content, { title: f.title }).startsWith(lead.slice(0, 60)), name);
    }
  });
});

describe("summarize: picks the key sentence", () => {
  const key =
    "A bug in the consensus client caused the Solana network outage, and validators restarted block production after developers shipped a patch.";
  const article = [
    "Markets in Asia were quiet on Monday morning as traders waited for inflation data.",
    "The outage halted block production on the Solana network for almost five hours.",
    "Validators coordinated on a public channel before they restarted the chain.",
    "Developers traced the problem to the consensus client used by most operators.",
    key,
    "The patch was shipped within three hours and reviewed by two independent teams.",
    "Block production resumed once two thirds of the stake had upgraded.",
    "Several exchanges paused deposits of SOL during the network outage.",
    "Separately, a popular football club announced a new stadium sponsor.",
  ].join(" ");

  it("ranks the sentence that ties the article together first", () => {
    const ranked = rankSentences(article);
    const best = ranked.reduce((a, b) => (b.score > a.score ? b : a));
    assert.equal(best.text, key);
    const scoreSum = ranked.reduce((s, r) => s + r.score, 0);
    assert.ok(Math.abs(scoreSum - 1) < 1e-9, "scores are a distribution");
  });

  it("a one-sentence summary is that sentence", () => {
    assert.equal(summarize(article, { maxSentences: 1 }), key);
  });

  it("leaves out the off-topic sentences", () => {
    const summary = summarize(article, { maxSentences: 3, maxChars: 600 });
    assert.ok(summary.includes(key));
    assert.ok(!summary.includes("football"));
    assert.ok(!summary.includes("inflation data"));
  });
});

describe("summarize: short, empty and awkward input", () => {
  it("returns a one- or two-sentence text unchanged", () => {
    const one = "Bitcoin rose 2% to $98,000 on Monday.";
    const two = "Bitcoin rose 2% to $98,000 on Monday. Ether was flat at $3,400.";
    assert.equal(summarize(one), one);
    assert.equal(summarize(two), two);
    assert.equal(summarize(`\n  ${two}  \n`), two, "only surrounding whitespace goes");
    const flash = loadNewsFixture("flash-short").content;
    assert.equal(summarize(flash), flash);
  });

  it("returns an empty string for empty text", () => {
    assert.equal(summarize(""), "");
    assert.equal(summarize("   \n\n  "), "");
    assert.deepEqual(summarySentences(""), []);
  });

  it("cuts a single overlong sentence at a word boundary with an ellipsis", () => {
    const sentence = `The exchange said that ${"the attackers moved funds through several intermediary wallets, ".repeat(12)}before the freeze.`;
    const summary = summarize(sentence, { maxChars: 120 });
    assert.ok(summary.length <= 120);
    assert.ok(summary.endsWith("…"));
    assert.ok(sentence.startsWith(summary.slice(0, -1)));
    assert.equal(sentence[summary.length - 1], " ", "cut before a space, not inside a word");
  });

  it("truncateAtWord never exceeds the bound, even for one huge word", () => {
    assert.equal(truncateAtWord("short", 10), "short");
    const cut = truncateAtWord("x".repeat(50), 10);
    assert.equal(cut.length, 10);
    assert.ok(cut.endsWith("…"));
    assert.equal(truncateAtWord("abc def", 1), "…");
  });

  it("skips boilerplate and fragments", () => {
    const f = loadNewsFixture("altcoin-tickers");
    for (const maxSentences of [1, 2, 3, 4]) {
      const summary = summarize(f.content, { maxSentences, maxChars: 2000 });
      assert.doesNotMatch(summary, /Share this article|Subscribe|newsletter|Read more/);
    }
    const ranked = rankSentences(f.content).map((s) => s.text);
    assert.ok(!ranked.includes("Share this article"));
  });

  it("does not repeat a near-duplicate sentence (a pull quote)", () => {
    const quote = '"The leverage is gone, and the long-term holders are not selling," said Mariana Okafor of Northgate Digital.';
    const text = [
      "Bitcoin held above $97,000 after a week of forced selling across derivatives exchanges.",
      quote,
      "Liquidations topped $2.3 billion, the most since March, as leveraged long positions were closed.",
      quote.replace("said", "says"),
      "Spot exchange-traded funds recorded outflows early in the week before buyers returned on Thursday.",
      "Funding rates on perpetual futures reset to neutral after briefly turning negative.",
    ].join("\n\n");
    const chosen = summarySentences(text, { maxSentences: 4, maxChars: 2000 });
    assert.ok(chosen.filter((s) => s.text.includes("leverage is gone")).length <= 1);
  });

  it("handles a long article (the fixtures five times over)", () => {
    const long = fixtures.map((f) => f.content).join("\n\n").repeat(5);
    const summary = summarize(long, { maxSentences: 4, maxChars: 500 });
    assert.ok(summary.length > 100 && summary.length <= 500);
    assertVerbatimInOrder(long, { maxSentences: 4, maxChars: 500 });
  });

  it("rejects nonsensical bounds", () => {
    assert.throws(() => summarize("a. b. c.", { maxSentences: 0 }), RangeError);
    assert.throws(() => summarize("a. b. c.", { maxChars: 1.5 }), RangeError);
  });
});
