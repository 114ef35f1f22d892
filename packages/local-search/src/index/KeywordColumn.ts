import { utf8Compare } from "../text/utf8Compare.ts";
import { grow } from "./grow.ts";

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
