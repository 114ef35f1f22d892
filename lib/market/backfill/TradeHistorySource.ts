import type { Trade } from "../../../contracts/market.ts";

/** The exchange's latest trade: where its id sequence stands now. */
export interface LatestTrade {
  id: bigint;
  ts: number;
}

/**
 * An exchange's public trade history over REST, as gap filling uses it
 * (`exchanges/<name>/rest.ts`). `ids` sources page by trade id (Binance, Kucoin);
 * `time` sources by time range (BitMEX, whose trades carry no sequence).
 * Weights are what each call costs against the exchange's published limit.
 */
export type TradeHistorySource = IdHistorySource | TimeHistorySource;

export interface IdHistorySource {
  mode: "ids";
  exchange: string;
  weights: { latest: number; page: number };
  latest(symbol: string, signal: AbortSignal): Promise<LatestTrade | undefined>;
  /**
   * One page of trades from id `from` on (Binance: at most `to - from + 1`; Kucoin:
   * always its last 100), oldest first. An answer starting after `from` means the
   * ids before its first are older than the exchange's REST history reaches.
   */
  page(symbol: string, from: bigint, to: bigint, signal: AbortSignal): Promise<Trade[]>;
  /** Most trades one page holds: a shorter page reached the end. */
  pageSize: number;
}

export interface TimeHistorySource {
  mode: "time";
  exchange: string;
  weights: { page: number };
  /** Trades with fromMs <= ts <= toMs, oldest first, skipping the first `start`; at most pageSize. */
  page(symbol: string, fromMs: number, toMs: number, start: number, signal: AbortSignal): Promise<Trade[]>;
  pageSize: number;
}
