// Typed arrays grow by copying into a larger one; columns and postings grow as
// documents get slots.
export function grow<T extends Float64Array | Int32Array | Uint8Array | Float32Array>(a: T, cap: number, fill?: number): T {
  if (a.length >= cap) return a;
  const n = new (a.constructor as new (n: number) => T)(cap);
  n.set(a);
  if (fill !== undefined) n.fill(fill, a.length);
  return n;
}
