import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTokenizerJson } from "../../lib/nlp/bert/tokenizerJson.ts";
import { WordPieceTokenizer } from "../../lib/nlp/bert/wordpiece.ts";
import { TINY_BERT_VOCAB, tinyBertTokenizerJson } from "../../scripts/make-tiny-bert.ts";

type Json = Record<string, any>;

/** The fixture's tokenizer.json (bert-base-uncased settings, tiny vocabulary), with optional edits. */
function tokenizerJson(edit: (j: Json) => void = () => {}): Json {
  const json = structuredClone(tinyBertTokenizerJson()) as Json;
  edit(json);
  return json;
}

const tokenizer = (edit?: (j: Json) => void) => new WordPieceTokenizer(parseTokenizerJson(tokenizerJson(edit)));
const id = (token: string) => TINY_BERT_VOCAB.indexOf(token);

test("greedy longest-match-first cuts a word into the longest known pieces", () => {
  const t = tokenizer();
  assert.deepEqual(t.tokenize("unaffable"), ["un", "##aff", "##able"]);
  assert.deepEqual(t.tokenize("surged rallying bullish liquidations"), ["surge", "##d", "rally", "##ing", "bull", "##ish", "liquidation", "##s"]);
  // "bitcoins" could also be bit+coin+s; the longest first piece wins.
  assert.deepEqual(t.tokenize("bitcoins"), ["bitcoin", "##s"]);
});

test("BertNormalizer lower-cases, strips accents, cleans control characters and spaces out CJK ideographs", () => {
  const t = tokenizer();
  assert.deepEqual(t.tokenize("CAFÉ Café cafe\u0301"), ["cafe", "cafe", "cafe"]);
  // NUL and a zero-width space (format character) vanish; tabs and newlines split words.
  assert.deepEqual(t.tokenize("bit\u0000coin\tether\nbit\u200bcoin"), ["bitcoin", "ether", "bitcoin"]);
  assert.deepEqual(t.tokenize("比特币"), ["[UNK]", "[UNK]", "[UNK]"]);
});

test("strip_accents false keeps accents even when lower-casing", () => {
  const t = tokenizer((j) => (j.normalizer.strip_accents = false));
  assert.deepEqual(t.tokenize("Café"), ["[UNK]"]);
  assert.deepEqual(t.tokenize("Cafe"), ["cafe"]);
});

test("BertPreTokenizer makes every punctuation character a word of its own", () => {
  const t = tokenizer();
  assert.deepEqual(t.tokenize("Bitcoin-price, ETF approval!"), ["bitcoin", "-", "price", ",", "etf", "approval", "!"]);
  // $ and % are ASCII punctuation for BERT although Unicode calls them symbols.
  assert.deepEqual(t.tokenize("$5%"), ["$", "5", "%"]);
  assert.deepEqual(t.tokenize("10.5"), ["1", "##0", ".", "5"]);
});

test("a word with any unmatchable part, or longer than max_input_chars_per_word, is one [UNK]", () => {
  assert.deepEqual(tokenizer().tokenize("eth xrp bitcoinz"), ["[UNK]", "[UNK]", "[UNK]"]);
  const short = tokenizer((j) => (j.model.max_input_chars_per_word = 10));
  assert.deepEqual(short.tokenize("liquidation exchange"), ["[UNK]", "exchange"]);
  assert.deepEqual(tokenizer().tokenize("liquidation"), ["liquidation"]);
});

test("special tokens written in the text are kept whole, case-sensitively", () => {
  const t = tokenizer();
  assert.deepEqual(t.tokenize("a [MASK] rally"), ["a", "[MASK]", "rally"]);
  assert.deepEqual(t.tokenize("[mask]"), ["[UNK]", "[UNK]", "[UNK]"]);
});

test("encode wraps the text in [CLS] … [SEP] with token type 0", () => {
  const e = tokenizer().encode("Bitcoin rally");
  assert.deepEqual(e.tokens, ["[CLS]", "bitcoin", "rally", "[SEP]"]);
  assert.deepEqual(e.ids, [id("[CLS]"), id("bitcoin"), id("rally"), id("[SEP]")]);
  assert.deepEqual(e.typeIds, [0, 0, 0, 0]);
  assert.deepEqual(tokenizer().encode("").tokens, ["[CLS]", "[SEP]"]);
});

test("BertProcessing post-processors add the same [CLS]/[SEP]", () => {
  const t = tokenizer((j) => (j.post_processor = { type: "BertProcessing", sep: ["[SEP]", id("[SEP]")], cls: ["[CLS]", id("[CLS]")] }));
  assert.deepEqual(t.encode("rally").tokens, ["[CLS]", "rally", "[SEP]"]);
});

test("truncation keeps [CLS] and [SEP] and the max length: tokenizer.json's by default, or the caller's", () => {
  const t = tokenizer();
  const long = Array.from({ length: 100 }, (_, i) => (i % 2 ? "bitcoin" : "rally")).join(" ");
  const byDefault = t.encode(long);
  assert.equal(t.truncationMaxLength, 32);
  assert.equal(byDefault.ids.length, 32);
  assert.equal(byDefault.tokens[0], "[CLS]");
  assert.equal(byDefault.tokens[31], "[SEP]");
  assert.deepEqual(byDefault.tokens.slice(1, 4), ["rally", "bitcoin", "rally"]);
  const short = t.encode(long, { maxLength: 5 });
  assert.deepEqual(short.tokens, ["[CLS]", "rally", "bitcoin", "rally", "[SEP]"]);
  // Left truncation keeps the end of the text.
  const left = tokenizer((j) => (j.truncation.direction = "Left")).encode("new record high", { maxLength: 4 });
  assert.deepEqual(left.tokens, ["[CLS]", "record", "high", "[SEP]"]);
  assert.throws(() => t.encode("rally", { maxLength: 2 }), /no room/);
  // Without a truncation block nothing is cut.
  assert.equal(tokenizer((j) => (j.truncation = null)).encode(long).ids.length, 102);
});

test("encodeBatch pads every row on the right to the longest, with a 0/1 attention mask, as int64", () => {
  const b = tokenizer().encodeBatch(["rally", "bitcoin price rally"]);
  assert.equal(b.batch, 2);
  assert.equal(b.length, 5);
  const pad = BigInt(id("[PAD]"));
  const ids = (...tokens: string[]) => tokens.map((t) => BigInt(id(t)));
  assert.deepEqual(Array.from(b.inputIds), [...ids("[CLS]", "rally", "[SEP]"), pad, pad, ...ids("[CLS]", "bitcoin", "price", "rally", "[SEP]")]);
  assert.deepEqual(Array.from(b.attentionMask), [1n, 1n, 1n, 0n, 0n, 1n, 1n, 1n, 1n, 1n]);
  assert.deepEqual(Array.from(b.tokenTypeIds), new Array(10).fill(0n));
  assert.ok(b.inputIds instanceof BigInt64Array);
});

test("tokenizers other than WordPiece are refused naming model.type", () => {
  const bpe = { model: { type: "BPE", vocab: { a: 0 }, merges: [] }, normalizer: null, pre_tokenizer: { type: "ByteLevel" } };
  assert.throws(() => parseTokenizerJson(bpe, "/m/tokenizer.json"), /\/m\/tokenizer\.json: model\.type is "BPE"; only "WordPiece"/);
  assert.throws(() => parseTokenizerJson({ model: { type: "Unigram", vocab: [] } }), /model\.type is "Unigram"/);
});

test("malformed tokenizer.json blocks are refused naming the field", () => {
  assert.throws(() => parseTokenizerJson(tokenizerJson((j) => (j.normalizer = { type: "Precompiled" }))), /normalizer\.type is "Precompiled"/);
  assert.throws(() => parseTokenizerJson(tokenizerJson((j) => (j.pre_tokenizer = { type: "Metaspace" }))), /pre_tokenizer\.type is "Metaspace"/);
  assert.throws(() => parseTokenizerJson(tokenizerJson((j) => (j.model.unk_token = "<unk>"))), /model\.unk_token names "<unk>", which is not in model\.vocab/);
  assert.throws(() => parseTokenizerJson(tokenizerJson((j) => (j.model.vocab = ["a"]))), /model\.vocab must be an object/);
  assert.throws(() => parseTokenizerJson(tokenizerJson((j) => (j.truncation.max_length = 0))), /truncation\.max_length must be a positive integer/);
  assert.throws(() => parseTokenizerJson(tokenizerJson((j) => (j.post_processor = { type: "Weird" }))), /post_processor\.type is "Weird"/);
});

test("normalizer and pre-tokenizer spelled out as Sequences behave like the Bert ones", () => {
  const t = tokenizer((j) => {
    j.normalizer = { type: "Sequence", normalizers: [{ type: "NFD" }, { type: "Lowercase" }, { type: "StripAccents" }] };
    j.pre_tokenizer = { type: "Sequence", pretokenizers: [{ type: "WhitespaceSplit" }, { type: "Whitespace" }] };
  });
  // Whitespace keeps runs of punctuation together ("!!"), unlike BertPreTokenizer.
  assert.deepEqual(t.tokenize("Café\u00a0RALLY!! bitcoin,"), ["cafe", "rally", "[UNK]", "bitcoin", ","]);
  assert.deepEqual(t.tokenize("Bitcoin!"), ["bitcoin", "!"]);
});
