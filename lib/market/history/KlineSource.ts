// One exchange's klines REST endpoint: how to ask for a page of 1-minute candles,
// how to read the answer (validated: a field that is not what the exchange
// documents fails the page, naming it), and how fast it may be asked.
export interface Kline {
  /** Start of the minute, epoch ms. */
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Base asset. */
  volume: number;
  /** Quote asset. */
  quoteVolume: number;
  /** Number of trades, when the exchange says (Kucoin does not). */
  trades?: number;
}

export interface KlineSource {
  exchange: "binance" | "kucoin" | "bitmex";
  /** The real REST base URL (MARKET_<EXCHANGE>_REST_URL overrides it). */
  defaultBaseUrl: string;
  /** Most minutes one request answers. */
  pageMinutes: number;
  /**
   * Least time between two requests, from the exchange's published limits with
   * room to spare (other clients on the same address share them).
   */
  minIntervalMs: number;
  /** The request for the minutes starting in [fromMs, toMs) (toMs − fromMs ≤ pageMinutes minutes). */
  url(baseUrl: string, symbol: string, fromMs: number, toMs: number): string;
  /** The klines of an answer, oldest first. Throws a KlineFormatError naming the field at fault. */
  parse(body: unknown): Kline[];
}

export class KlineFormatError extends Error {
  override readonly name = "KlineFormatError";
}
