import type { Tick } from "../exchanges/ParsedMessage.ts";
import type { Quote, Trade } from "../../../contracts/market.ts";
import type { BatchingConfig } from "./CollectorConfig.ts";
import type { RawBatch } from "./RawBatch.ts";

interface Buffer {
  trades: Trade[];
  quotes: Quote[];
  ticks: Tick[];
  count: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Per-symbol buffers (the Binance/Kucoin seed's rule): a symbol's records are
 * flushed when it holds `maxMessages`, or `maxAgeMs` after its first record,
 * whichever comes first; `flushAll` is the final flush. Flushing is
 * synchronous and hands the batch to `onBatch`, so nothing that was added can
 * be lost between the buffer and the shipper.
 */
export class SymbolBatcher {
  private readonly buffers = new Map<string, Buffer>();

  constructor(
    private readonly exchange: string,
    private readonly config: BatchingConfig,
    private readonly onBatch: (batch: RawBatch) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  add(record: { symbol: string }, kind: "trade" | "quote" | "tick"): void {
    let buffer = this.buffers.get(record.symbol);
    if (!buffer) {
      buffer = { trades: [], quotes: [], ticks: [], count: 0, timer: undefined };
      this.buffers.set(record.symbol, buffer);
    }
    if (kind === "trade") buffer.trades.push(record as Trade);
    else if (kind === "quote") buffer.quotes.push(record as Quote);
    else buffer.ticks.push(record as Tick);
    buffer.count++;
    if (buffer.count >= this.config.maxMessages) this.flush(record.symbol, "count");
    else if (!buffer.timer) {
      const symbol = record.symbol;
      buffer.timer = setTimeout(() => this.flush(symbol, "age"), this.config.maxAgeMs);
    }
  }

  get pending(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.count;
    return n;
  }

  flushAll(): void {
    for (const symbol of [...this.buffers.keys()]) this.flush(symbol, "final");
  }

  private flush(symbol: string, reason: RawBatch["reason"]): void {
    const buffer = this.buffers.get(symbol);
    if (!buffer) return;
    this.buffers.delete(symbol);
    if (buffer.timer) clearTimeout(buffer.timer);
    if (buffer.count === 0) return;
    this.onBatch({ exchange: this.exchange, symbol, trades: buffer.trades, quotes: buffer.quotes, ticks: buffer.ticks, closedAt: this.now(), reason });
  }
}
