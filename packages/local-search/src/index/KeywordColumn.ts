import { StringTable } from "./StringTable.ts";
import { grow } from "./grow.ts";

/** Decoded terms kept per column: enough for every low-cardinality field, bounded for ids. */
const DECODED_CACHE = 65_536;

/** Exact strings as ordinals into a dictionary (off the heap: StringTable). ords: -1 missing, -2 several (see multi). */
export class KeywordColumn {
  readonly kind = "keyword" as const;
  readonly dict = new StringTable();
  ords: Int32Array;
  readonly multi = new Map<number, number[]>();
  private rankCache: Int32Array | null = null;
  private readonly decoded: string[] = [];

  constructor(capacity: number) {
    this.ords = new Int32Array(capacity).fill(-1);
  }

  ensure(capacity: number): void {
    this.ords = grow(this.ords, capacity, -1);
  }

  /** Distinct terms ever added. */
  get termCount(): number {
    return this.dict.size;
  }

  term(ord: number): string {
    if (ord >= DECODED_CACHE) return this.dict.at(ord);
    return (this.decoded[ord] ??= this.dict.at(ord));
  }

  /** The ordinal of a term, or -1 when no document ever had it. */
  find(term: string): number {
    return this.dict.find(term);
  }

  ordOf(term: string): number {
    return this.dict.intern(term);
  }

  /** Two ordinals in term order (UTF-8 bytes, as Lucene sorts). */
  compareOrds(a: number, b: number): number {
    return this.dict.compare(a, b);
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

  /** rank[ord] = position of the term in byte order (Lucene sorts terms as UTF-8 bytes); still valid while no term was added. */
  ranks(): Int32Array {
    const n = this.dict.size;
    if (this.rankCache && this.rankCache.length === n) return this.rankCache;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => this.dict.compare(a, b));
    const rank = new Int32Array(n);
    order.forEach((ord, r) => (rank[ord] = r));
    this.rankCache = rank;
    return rank;
  }
}
