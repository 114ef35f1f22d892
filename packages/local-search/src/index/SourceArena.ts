// _source bytes of every document slot, packed into large Buffers so that a
// million documents are not a million heap objects.

import { grow } from "./grow.ts";

const CHUNK = 8 * 1024 * 1024;

export class SourceArena {
  private chunks: Buffer[] = [];
  private current: Buffer | null = null;
  private used = 0;
  chunkOf: Int32Array;
  offsetOf: Int32Array;
  lengthOf: Int32Array;
  bytes = 0;

  constructor(capacity: number) {
    this.chunkOf = new Int32Array(capacity);
    this.offsetOf = new Int32Array(capacity);
    this.lengthOf = new Int32Array(capacity);
  }

  ensure(capacity: number): void {
    if (this.chunkOf.length >= capacity) return;
    this.chunkOf = grow(this.chunkOf, capacity);
    this.offsetOf = grow(this.offsetOf, capacity);
    this.lengthOf = grow(this.lengthOf, capacity);
  }

  /** Stores the UTF-8 JSON of a slot's source. */
  put(slot: number, src: Buffer | string): void {
    const len = typeof src === "string" ? Buffer.byteLength(src) : src.length;
    if (this.current === null || this.used + len > this.current.length) {
      this.current = Buffer.allocUnsafeSlow(Math.max(CHUNK, len));
      this.chunks.push(this.current);
      this.used = 0;
    }
    if (typeof src === "string") this.current.write(src, this.used, "utf8");
    else src.copy(this.current, this.used);
    this.chunkOf[slot] = this.chunks.length - 1;
    this.offsetOf[slot] = this.used;
    this.lengthOf[slot] = len;
    this.used += len;
    this.bytes += len;
  }

  getString(slot: number): string {
    const off = this.offsetOf[slot]!;
    return this.chunks[this.chunkOf[slot]!]!.toString("utf8", off, off + this.lengthOf[slot]!);
  }

  getBytes(slot: number): Buffer {
    const off = this.offsetOf[slot]!;
    return this.chunks[this.chunkOf[slot]!]!.subarray(off, off + this.lengthOf[slot]!);
  }

  /** Copies a slot's source bytes into `target` at `offset`; returns how many. */
  copyTo(slot: number, target: Buffer, offset: number): number {
    const off = this.offsetOf[slot]!;
    return this.chunks[this.chunkOf[slot]!]!.copy(target, offset, off, off + this.lengthOf[slot]!);
  }

  allocatedBytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }
}
