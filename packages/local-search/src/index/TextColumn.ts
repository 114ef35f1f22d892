import type { Token } from "../text/analyzer.ts";
import { grow } from "./grow.ts";

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
