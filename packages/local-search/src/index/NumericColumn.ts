import { grow } from "./grow.ts";

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
