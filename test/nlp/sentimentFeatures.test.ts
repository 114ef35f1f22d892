import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultFeatureConfig, featureCounts, featurize, hashString, lexiconSha256 } from "../../lib/nlp/sentiment/features.ts";
import { readLinearModelConfig } from "../../lib/nlp/sentiment/modelConfig.ts";
import { readCryptoHeadlines } from "../../lib/nlp/sentiment/datasets.ts";
import { BOUNDARY, tokenize } from "../../lib/nlp/sentiment/tokenize.ts";

const MODEL_DIR = "models/cryptoviz-sentiment";
const opts = { maxTokens: 256 };

// Real-shaped texts covering every normalisation path (URLs, cashtags, amounts, signs, unicode, negation).
const SAMPLE = [
  "$BYND - JPMorgan reels in expectations on Beyond Meat https://t.co/bd0xbFGjkT",
  "Ｂｉｔｃｏｉｎ hits new all-time high, +5.2% as ETF inflows surge",
  "Exchange drained in $200M hack; withdrawals halted",
  "Ether isn't falling despite $1.2bn in long liquidations",
  "Stablecoin de-pegs to $0.91 — bank run fears grow (again)",
  "@whale_alert 10,000 #BTC moved to Coinbase",
  "constructor toString __proto__ hasOwnProperty", // object-prototype names must not be lexicon hits
  "",
  "Shares -3% after Q3 miss; 51% attack on ETC",
  "Coinbase to delist token after SEC lawsuit; rug-pull suspected",
];

test("normalisation: placeholders, phrases, variants and clause boundaries", () => {
  assert.deepEqual(tokenize("$BYND - JPMorgan cuts PT https://t.co/x", opts), ["__cashtag__", BOUNDARY, "jpmorgan", "cuts", "pt", "__url__"]);
  assert.deepEqual(tokenize("Exchange drained in $200M hack; withdrawals halted", opts), ["exchange", "drained", "in", "__money__", "hack", BOUNDARY, "withdrawals_halted"]);
  assert.deepEqual(tokenize("BTC +5.2%, ETH -3 %, SOL 4 percent", opts), ["btc", "__pct_up__", BOUNDARY, "eth", "__pct_down__", BOUNDARY, "sol", "__pct__"]);
  assert.deepEqual(tokenize("New ALL-TIME HIGH for Web3 token; Bitcoin’s rug pulled", opts), ["new", "all_time_high", "for", "web3", "token", BOUNDARY, "bitcoin", "rug_pull"]);
  assert.deepEqual(tokenize("Ｆｕｌｌ－ｗｉｄｔｈ ﬁnance", opts), ["full", "width", "finance"]); // NFKC folds width and ligatures
  assert.deepEqual(tokenize("SEC approves spot Bitcoin ETF after delisted tokens", opts), ["sec", "approves", "spot_etf", "after", "delisting", "tokens"]);
  assert.equal(tokenize("a ".repeat(1000), { maxTokens: 10 }).length, 10);
});

test("negation flips the unigram and the lexicon polarity until punctuation", () => {
  const cfg = defaultFeatureConfig();
  const f = featureCounts(tokenize("Bitcoin did not crash, it rallied", cfg), cfg);
  assert.ok(f.has("n:crash") && !f.has("w:crash"));
  assert.equal(f.get("lex:pos")?.count, 2); // "not crash" and "rallied"
  assert.ok(!f.has("lex:neg"));
  assert.ok(f.has("b:not crash"));
  assert.ok(f.has("w:rallied"), "scope ends at the comma");
});

test("prototype names are plain words, not lexicon entries", () => {
  const cfg = defaultFeatureConfig();
  const f = featureCounts(tokenize("constructor toString valueOf", cfg), cfg);
  assert.ok(!f.has("lex:pos") && !f.has("lex:neg"));
  assert.deepEqual(tokenize("constructor toString", cfg), ["constructor", "tostring"]);
});

test("the hash is stable (a change would silently break every shipped model)", () => {
  assert.deepEqual(
    ["", "w:bitcoin", "w:hack", "b:etf approval"].map(hashString),
    [2872998923, 291866116, 257097437, 3327972362],
  );
});

test("parity: the trainer's feature path and the runtime's (settings re-read from config.json) give identical features", () => {
  const runtime = readLinearModelConfig(MODEL_DIR).tokenizer;
  const trainer = defaultFeatureConfig();
  assert.deepEqual(runtime, trainer, "config.json's tokenizer block is what the trainer uses");
  assert.equal(runtime.lexiconSha256, lexiconSha256());
  const texts = [...SAMPLE, ...readCryptoHeadlines(`${MODEL_DIR}/data/crypto_headlines.tsv`).test.map((e) => e.text)];
  for (const text of texts) {
    const a = featurize(text, trainer);
    const b = featurize(text, JSON.parse(JSON.stringify(runtime)));
    assert.deepEqual(Array.from(a.ids), Array.from(b.ids), text);
    assert.deepEqual(Array.from(a.values), Array.from(b.values), text);
    assert.ok(a.ids.every((id, i) => i === 0 || id > a.ids[i - 1]!), "ids sorted and distinct");
  }
});
