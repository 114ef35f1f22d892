// Strings interned off the V8 heap: their UTF-8 bytes in large Buffers, an
// open-addressing hash table in typed arrays. An index of millions of trades held
// each document id and each trade id as a JS string in a Map: tens of millions of
// heap objects every major GC marks (the search thread spent a fifth of its time in
// GC at 20,000 trades/s), a Map rehash that stopped the endpoint ~0.8 s at 8M
// entries, and V8's hard limit of 2^24 entries per Map (14 minutes at that rate).

import { grow } from "./grow.ts";

const CHUNK = 4 * 1024 * 1024;
const INITIAL_SLOTS = 1024;
/**
 * Ids moved into the doubled hash table per string interned while it fills. Rehashing
 * 8M ids in one insert made it take 610 ms (random writes into a 128 MB table; 81 ms
 * now, the copy of the per-id arrays); moved 8 at a time, the old table is at most 4/7
 * full when the new one takes over.
 */
const MOVED_PER_INTERN = 8;

/** FNV-1a over UTF-16 code units: no encoding needed to hash a lookup. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Interned strings, numbered 0, 1, 2 … in the order first seen. Append-only. */
export class StringTable {
  private chunks: Buffer[] = [];
  private current: Buffer | null = null;
  private used = 0;
  private chunkOf = new Int32Array(INITIAL_SLOTS);
  private offsetOf = new Int32Array(INITIAL_SLOTS);
  private lengthOf = new Int32Array(INITIAL_SLOTS);
  private hashes = new Int32Array(INITIAL_SLOTS);
  /** id + 1 per hash slot; 0 = empty. Holds every id; half full when a doubled one starts to fill. */
  private table = new Int32Array(INITIAL_SLOTS * 2);
  /** The doubled table while it fills: ids below `moved` are in it. Lookups use `table` until it is complete. */
  private next: Int32Array<ArrayBuffer> | null = null;
  private moved = 0;
  private scratch = Buffer.allocUnsafeSlow(1024);
  size = 0;

  /** The id of a string, or -1. */
  find(s: string): number {
    return this.probe(s, hashOf(s)).id;
  }

  /** The id of a string, added when new. */
  intern(s: string): number {
    const h = hashOf(s);
    const { id, at, bytes } = this.probe(s, h);
    if (id >= 0) return id;
    const n = bytes >= 0 ? bytes : this.encode(s);
    if (this.current === null || this.used + n > this.current.length) {
      this.current = Buffer.allocUnsafeSlow(Math.max(CHUNK, n));
      this.chunks.push(this.current);
      this.used = 0;
    }
    this.scratch.copy(this.current, this.used, 0, n);
    const next = this.size;
    if (next >= this.chunkOf.length) {
      const cap = next * 2;
      this.chunkOf = grow(this.chunkOf, cap);
      this.offsetOf = grow(this.offsetOf, cap);
      this.lengthOf = grow(this.lengthOf, cap);
      this.hashes = grow(this.hashes, cap);
    }
    this.chunkOf[next] = this.chunks.length - 1;
    this.offsetOf[next] = this.used;
    this.lengthOf[next] = n;
    this.hashes[next] = h;
    this.used += n;
    this.size++;
    this.table[at] = next + 1;
    if (this.next === null && this.size * 2 > this.table.length) {
      this.next = new Int32Array(this.table.length * 2);
      this.moved = 0;
    }
    if (this.next !== null) this.moveSome();
    return next;
  }

  at(id: number): string {
    const off = this.offsetOf[id]!;
    return this.chunks[this.chunkOf[id]!]!.toString("utf8", off, off + this.lengthOf[id]!);
  }

  /** Two ids' strings in UTF-8 byte order (Lucene's term order), without decoding them. */
  compare(a: number, b: number): number {
    if (a === b) return 0;
    const oa = this.offsetOf[a]!;
    const ob = this.offsetOf[b]!;
    return this.chunks[this.chunkOf[a]!]!.compare(this.chunks[this.chunkOf[b]!]!, ob, ob + this.lengthOf[b]!, oa, oa + this.lengthOf[a]!);
  }

  /** UTF-8 of s into the scratch buffer; its byte length. */
  private encode(s: string): number {
    if (s.length * 3 > this.scratch.length) this.scratch = Buffer.allocUnsafeSlow(s.length * 3);
    return this.scratch.write(s, 0, "utf8");
  }

  /** Where s is (id), or the empty hash slot it would take (at); bytes: its encoded length when encoded, else -1. */
  private probe(s: string, h: number): { id: number; at: number; bytes: number } {
    const mask = this.table.length - 1;
    let bytes = -1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const e = this.table[i]!;
      if (e === 0) return { id: -1, at: i, bytes };
      const id = e - 1;
      if (this.hashes[id] !== h) continue;
      if (bytes < 0) bytes = this.encode(s);
      const len = this.lengthOf[id]!;
      const off = this.offsetOf[id]!;
      if (len === bytes && this.scratch.compare(this.chunks[this.chunkOf[id]!]!, off, off + len, 0, bytes) === 0) return { id, at: i, bytes };
    }
  }

  /** Moves the next few ids into the doubled table; once all are in, it replaces the old one. */
  private moveSome(): void {
    const table = this.next!;
    const mask = table.length - 1;
    const end = Math.min(this.size, this.moved + MOVED_PER_INTERN);
    for (let id = this.moved; id < end; id++) {
      let i = this.hashes[id]! & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = id + 1;
    }
    this.moved = end;
    if (end === this.size) {
      this.table = table;
      this.next = null;
    }
  }
}
