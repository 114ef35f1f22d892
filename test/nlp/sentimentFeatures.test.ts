import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { defaultFeatureConfig, featureCounts, featurize, hashString, lexiconSha256 } from "../../lib/nlp/sentiment/features.ts";
import { readLinearModelConfig } from "../../lib/nlp/sentiment/modelConfig.ts";
import { readCryptoHeadlines } from "../../lib/training/sentiment/datasets.ts";
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

// Training (trainLinearModel → featurize(text, defaultFeatureConfig())) and
// inference (loadLinearSentimentModel → featurize(text, config.json's tokenizer))
// run the same function: what can drift apart is the settings, checked first,
// and the function itself changing under a model trained with its old output.
// Running featurize twice would prove nothing, so its output is pinned here: a
// few texts against features written out by hand (names → buckets through the
// pinned hash above), and a digest of the held-out crypto headlines. A change
// that moves these means the shipped model must be retrained
// (`npm run train:sentiment`) and the pins updated with it.
test("parity: the runtime reads back the trainer's settings, and featurize still yields what the shipped model was trained on", () => {
  const runtime = readLinearModelConfig(MODEL_DIR).tokenizer;
  const trainer = defaultFeatureConfig();
  assert.deepEqual(runtime, trainer, "config.json's tokenizer block is what the trainer uses");
  assert.equal(runtime.lexiconSha256, lexiconSha256());

  const bucket = (name: string) => hashString(name) & ((1 << runtime.hashBits) - 1);
  const sublinear = (count: number) => 1 + Math.log(count);
  const byHand: [string, Record<string, number>][] = [
    // Negation flips "crash" (n:) and its polarity (lex:pos, lexicon weight 2).
    ["Bitcoin did not crash", { "w:bitcoin": 1, "w:did": 1, "b:bitcoin did": 1, "w:not": 1, "b:did not": 1, "n:crash": 1, "b:not crash": 1, "lex:pos": 2 }],
    // $200M → __money__; two negative words → lex:neg twice (sublinear tf × weight 2).
    [
      "Exchange drained in $200M hack",
      { "w:exchange": 1, "w:drained": 1, "b:exchange drained": 1, "w:in": 1, "b:drained in": 1, "w:__money__": 1, "b:in __money__": 1, "w:hack": 1, "b:__money__ hack": 1, "lex:neg": 2 * sublinear(2) },
    ],
    // "spot ETF" is one crypto-vocabulary token.
    ["SEC approves spot ETF", { "w:sec": 1, "w:approves": 1, "b:sec approves": 1, "lex:pos": 2, "w:spot_etf": 1, "b:approves spot_etf": 1 }],
  ];
  for (const [text, named] of byHand) {
    const expected = new Map(Object.entries(named).map(([name, value]) => [bucket(name), value]));
    const got = featurize(text, JSON.parse(JSON.stringify(runtime)));
    assert.deepEqual(Array.from(got.ids), [...expected.keys()].sort((a, b) => a - b), text);
    got.ids.forEach((id, i) => assert.ok(Math.abs(got.values[i]! - expected.get(id)!) < 1e-6, `${text}: bucket ${id}`));
  }

  const texts = [...SAMPLE, ...readCryptoHeadlines(`${MODEL_DIR}/data/crypto_headlines.tsv`).test.map((e) => e.text)];
  const digest = createHash("sha256");
  for (const text of texts) {
    const f = featurize(text, runtime);
    assert.ok(f.ids.every((id, i) => i === 0 || id > f.ids[i - 1]!), "ids sorted and distinct");
    digest.update(Buffer.from(f.ids.buffer, f.ids.byteOffset, f.ids.byteLength)).update(Buffer.from(f.values.buffer, f.values.byteOffset, f.values.byteLength));
  }
  assert.equal(texts.length, 55);
  assert.equal(digest.digest("hex"), "03fcb6b5b58932547a074999a335024fe32d2c8e94d557e1daee82ddddb5b5d8");
});
