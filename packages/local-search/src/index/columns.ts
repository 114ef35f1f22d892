// Columnar per-field storage beside _source: numbers (also dates and booleans)
// in Float64Arrays, keywords as dictionary ordinals, text as an inverted index
// with per-document lengths for BM25. Arrays are indexed by document slot.
import type { Token } from "../text/analyzer.ts";
import { utf8Compare } from "../text/utf8Compare.ts";

function grow<T extends Float64Array | Int32Array | Uint8Array | Float32Array>(a: T, cap: number, fill?: number): T {
  if (a.length >= cap) return a;
  const n = new (a.constructor as new (n: number) => T)(cap);
  n.set(a);
  if (fill !== undefined) n.fill(fill, a.length);
  return n;
}

/** log2 of the slots a NumericColumn summarises per block. */
export const NUMERIC_BLOCK_BITS = 10;
const blocksFor = (capacity: number) => Math.ceil(capacity / (1 << NUMERIC_BLOCK_BITS));

/**
 * Numbers, dates (epoch ms) and booleans (1/0). state: 0 missing, 1 one value, 2 several (see multi).
 * blockMin/blockMax bound every value ever added to a block of 1024 slots (never narrowed: a
 * deleted document's values stay inside): a range query skips the blocks it cannot match. Slots are
 * handed out in write order, so a field that grows with time (a trade's time, a candle's bucket)
 * has narrow blocks and a range over the last seconds reads a few blocks, not the whole index.
 */
export class NumericColumn {
  readonly kind = "numeric" as const;
  values: Float64Array;
  state: Uint8Array;
  blockMin: Float64Array;
  blockMax: Float64Array;
  readonly multi = new Map<number, number[]>();

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
    this.state = new Uint8Array(capacity);
    this.blockMin = new Float64Array(blocksFor(capacity)).fill(Infinity);
    this.blockMax = new Float64Array(blocksFor(capacity)).fill(-Infinity);
  }

  ensure(capacity: number): void {
    this.values = grow(this.values, capacity);
    this.state = grow(this.state, capacity);
    this.blockMin = grow(this.blockMin, blocksFor(capacity), Infinity);
    this.blockMax = grow(this.blockMax, blocksFor(capacity), -Infinity);
  }

  add(slot: number, v: number): void {
    const b = slot >>> NUMERIC_BLOCK_BITS;
    if (v < this.blockMin[b]!) this.blockMin[b] = v;
    if (v > this.blockMax[b]!) this.blockMax[b] = v;
    const s = this.state[slot]!;
    if (s === 0) {
      this.values[slot] = v;
      this.state[slot] = 1;
    } else if (s === 1) {
      this.multi.set(slot, [this.values[slot]!, v]);
      this.state[slot] = 2;
      if (v < this.values[slot]!) this.values[slot] = v;
    } else {
      this.multi.get(slot)!.push(v);
      if (v < this.values[slot]!) this.values[slot] = v; // values[] holds the minimum for multi-valued docs
    }
  }

  /** All values of a slot (empty when missing). */
  valuesOf(slot: number): number[] {
    const s = this.state[slot];
    if (!s) return [];
    if (s === 1) return [this.values[slot]!];
    return this.multi.get(slot)!;
  }
}

/** Exact strings as ordinals into a dictionary. ords: -1 missing, -2 several (see multi). */
export class KeywordColumn {
  readonly kind = "keyword" as const;
  readonly terms: string[] = [];
  readonly termIds = new Map<string, number>();
  ords: Int32Array;
  readonly multi = new Map<number, number[]>();
  private rankCache: Int32Array | null = null;

  constructor(capacity: number) {
    this.ords = new Int32Array(capacity).fill(-1);
  }

  ensure(capacity: number): void {
    this.ords = grow(this.ords, capacity, -1);
  }

  ordOf(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.terms.push(term);
      this.termIds.set(term, id);
      this.rankCache = null;
    }
    return id;
  }

  add(slot: number, term: string): void {
    const ord = this.ordOf(term);
    const cur = this.ords[slot]!;
    if (cur === -1) this.ords[slot] = ord;
    else if (cur === -2) {
      const list = this.multi.get(slot)!;
      if (!list.includes(ord)) list.push(ord);
    } else if (cur !== ord) {
      this.multi.set(slot, [cur, ord]);
      this.ords[slot] = -2;
    }
  }

  ordsOf(slot: number): number[] {
    const o = this.ords[slot];
    if (o === undefined || o === -1) return [];
    if (o === -2) return this.multi.get(slot)!;
    return [o];
  }

  /** rank[ord] = position of the term in byte order (Lucene sorts terms as UTF-8 bytes). */
  ranks(): Int32Array {
    if (this.rankCache && this.rankCache.length === this.terms.length) return this.rankCache;
    const terms = this.terms;
    const order = terms.map((_, i) => i);
    order.sort((a, b) => utf8Compare(terms[a]!, terms[b]!));
    const rank = new Int32Array(this.terms.length);
    order.forEach((ord, r) => (rank[ord] = r));
    this.rankCache = rank;
    return rank;
  }
}

export interface Posting {
  docs: Int32Array;
  freqs: Int32Array;
  n: number;
}

/** Inverted index of an analysed text field. */
export class TextColumn {
  readonly kind = "text" as const;
  readonly postings = new Map<string, Posting>();
  lengths: Float32Array;
  present: Uint8Array;

  constructor(capacity: number) {
    this.lengths = new Float32Array(capacity);
    this.present = new Uint8Array(capacity);
  }

  ensure(capacity: number): void {
    this.lengths = grow(this.lengths, capacity);
    this.present = grow(this.present, capacity);
  }

  addDoc(slot: number, tokens: Token[]): void {
    this.present[slot] = 1;
    this.lengths[slot] = tokens.length;
    const freq = new Map<string, number>();
    for (const t of tokens) freq.set(t.term, (freq.get(t.term) ?? 0) + 1);
    for (const [term, f] of freq) {
      let p = this.postings.get(term);
      if (!p) {
        p = { docs: new Int32Array(4), freqs: new Int32Array(4), n: 0 };
        this.postings.set(term, p);
      }
      if (p.n === p.docs.length) {
        p.docs = grow(p.docs, p.n * 2);
        p.freqs = grow(p.freqs, p.n * 2);
      }
      p.docs[p.n] = slot;
      p.freqs[p.n] = f;
      p.n++;
    }
  }
}

export type Column = NumericColumn | KeywordColumn | TextColumn;
