// Tokens → hashed sparse features, shared by the trainer and the runtime. The
// settings live in the model's config.json ("tokenizer") and are read back at
// inference, so a model is always featurised the way it was trained. IDF and
// length normalisation happen inside the ONNX graph (see linearModel.ts): the
// features here are only (bucket, sublinear term frequency × family weight).
import { createHash } from "node:crypto";
import { NEGATORS, PHRASES, POLARITY, POLARITY_MAP, VARIANTS } from "./lexicon.ts";
import { BOUNDARY, tokenize } from "./tokenize.ts";

export interface FeatureConfig {
  /** Feature-set version: bump when the code below changes meaning. */
  version: 1;
  normalization: "NFKC";
  lowercase: true;
  /** Hash space is 2^hashBits buckets. */
  hashBits: number;
  /** Longest word n-gram (1 = unigrams, 2 = uni+bigrams). */
  wordNgrams: number;
  /** Character n-gram lengths inside words (fastText style, with < > word marks), or null. */
  charNgrams: [number, number] | null;
  /** Weight of one character n-gram relative to a word feature. */
  charWeight: number;
  /** Weight of the lexicon polarity counts (`lex:pos`, `lex:neg`). */
  lexiconWeight: number;
  /** Tokens after a negator whose unigram and polarity are flipped (until punctuation). */
  negationScope: number;
  /** 1 + ln(count) instead of count. */
  sublinearTf: boolean;
  maxTokens: number;
  /** sha256 of the lexicon tables the model was trained with (checked at load). */
  lexiconSha256: string;
}

export interface SparseFeatures {
  /** Sorted, distinct bucket ids. */
  ids: Int32Array;
  values: Float32Array;
}

/** sha256 over the phrase, variant, polarity and negator tables, in a stable order. */
export function lexiconSha256(): string {
  const sorted = (o: Readonly<Record<string, unknown>>) => Object.keys(o).sort().map((k) => [k, o[k]]);
  const payload = JSON.stringify([sorted(PHRASES), sorted(VARIANTS), sorted(POLARITY), [...NEGATORS].sort()]);
  return createHash("sha256").update(payload).digest("hex");
}

export function defaultFeatureConfig(overrides: Partial<FeatureConfig> = {}): FeatureConfig {
  return {
    version: 1,
    normalization: "NFKC",
    lowercase: true,
    hashBits: 18,
    wordNgrams: 2,
    // Character n-grams (e.g. [3, 5]) fit the tweets slightly better but transfer worse to
    // other news styles and cost speed; see the model card.
    charNgrams: null,
    charWeight: 0.5,
    lexiconWeight: 2,
    negationScope: 3,
    sublinearTf: true,
    maxTokens: 256,
    lexiconSha256: lexiconSha256(),
    ...overrides,
  };
}

/** 32-bit FNV-1a over UTF-16 code units, then murmur3's finaliser so low bits mix well. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Named features with their weight per occurrence (before hashing): readable for tests and debugging. */
export function featureCounts(tokens: readonly string[], config: FeatureConfig): Map<string, { count: number; weight: number }> {
  const out = new Map<string, { count: number; weight: number }>();
  const add = (name: string, weight: number) => {
    const e = out.get(name);
    if (e) e.count++;
    else out.set(name, { count: 1, weight });
  };
  let negLeft = 0;
  let prev: string | null = null;
  for (const tok of tokens) {
    if (tok === BOUNDARY) {
      negLeft = 0;
      prev = null;
      continue;
    }
    const negated = negLeft > 0;
    if (negated) negLeft--;
    add(negated ? `n:${tok}` : `w:${tok}`, 1);
    if (config.wordNgrams >= 2 && prev !== null) add(`b:${prev} ${tok}`, 1);
    prev = tok;
    const polarity = POLARITY_MAP.get(tok);
    if (polarity !== undefined && config.lexiconWeight > 0) add((polarity > 0) !== negated ? "lex:pos" : "lex:neg", config.lexiconWeight);
    if (config.charNgrams && config.charWeight > 0 && !tok.startsWith("__")) {
      const w = `<${tok}>`;
      const [lo, hi] = config.charNgrams;
      for (let n = lo; n <= hi; n++) for (let i = 0; i + n <= w.length; i++) if (n < w.length) add(`c:${w.slice(i, i + n)}`, config.charWeight);
    }
    if (NEGATORS.has(tok)) negLeft = config.negationScope;
  }
  return out;
}

/** A text's hashed features: what the ONNX graph takes (after padding into a batch). */
export function featurize(text: string, config: FeatureConfig): SparseFeatures {
  const mask = (1 << config.hashBits) - 1;
  const buckets = new Map<number, number>();
  for (const [name, { count, weight }] of featureCounts(tokenize(text, config), config)) {
    const id = hashString(name) & mask;
    const tf = config.sublinearTf ? 1 + Math.log(count) : count;
    buckets.set(id, (buckets.get(id) ?? 0) + tf * weight);
  }
  const ids = Int32Array.from(buckets.keys()).sort();
  const values = new Float32Array(ids.length);
  ids.forEach((id, i) => (values[i] = buckets.get(id)!));
  return { ids, values };
}
