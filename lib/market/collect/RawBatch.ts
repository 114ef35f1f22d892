import type { Tick } from "../exchanges/ParsedMessage.ts";
import type { Quote, Trade } from "../../../contracts/market.ts";

export type MarketRecord = Trade | Quote | Tick;

/** What one symbol's buffer held when it was flushed: archived as is, then enqueued. */
export interface RawBatch {
  exchange: string;
  symbol: string;
  trades: Trade[];
  quotes: Quote[];
  ticks: Tick[];
  /** When the buffer was flushed: the archive's hour partition and the envelopes' producedAt. */
  closedAt: Date;
  /** Why it was flushed; `backfill`: trades fetched over REST to fill a gap. */
  reason: "count" | "age" | "final" | "backfill";
}

export const recordCount = (b: Pick<RawBatch, "trades" | "quotes" | "ticks">) => b.trades.length + b.quotes.length + b.ticks.length;
