// Fixed-size bitsets over document slots (Uint32Array words).

export type Bitset = Uint32Array;

export function newBitset(bits: number): Bitset {
  return new Uint32Array((bits + 31) >>> 5);
}

export function growBitset(b: Bitset, bits: number): Bitset {
  const words = (bits + 31) >>> 5;
  if (words <= b.length) return b;
  const n = new Uint32Array(Math.max(words, b.length * 2));
  n.set(b);
  return n;
}

export function setBit(b: Bitset, i: number): void {
  b[i >>> 5]! |= 1 << (i & 31);
}

export function clearBit(b: Bitset, i: number): void {
  b[i >>> 5]! &= ~(1 << (i & 31));
}

export function getBit(b: Bitset, i: number): boolean {
  return ((b[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

export function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function cardinality(b: Bitset): number {
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const w = b[i]!;
    if (w !== 0) n += popcount32(w);
  }
  return n;
}

/** a &= b (b may be shorter: missing words count as zero). */
export function andInPlace(a: Bitset, b: Bitset): void {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) a[i]! &= b[i]!;
  for (let i = n; i < a.length; i++) a[i] = 0;
}

export function orInPlace(a: Bitset, b: Bitset): void {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) a[i]! |= b[i]!;
}

export function andNotInPlace(a: Bitset, b: Bitset): void {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) a[i]! &= ~b[i]!;
}

/** Slots of the set bits, ascending. */
export function toSlots(b: Bitset, count?: number): Int32Array {
  const out = new Int32Array(count ?? cardinality(b));
  let k = 0;
  for (let w = 0; w < b.length; w++) {
    let word = b[w]!;
    while (word !== 0) {
      const t = word & -word;
      out[k++] = (w << 5) + (31 - Math.clz32(t));
      word ^= t;
    }
  }
  return k === out.length ? out : out.subarray(0, k);
}
