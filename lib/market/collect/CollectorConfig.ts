import { ConfigError } from "../../config/ConfigError.ts";
import { envEnum, envInt, envString, envUrl } from "../../config/readEnv.ts";
import { normaliseSymbol } from "../../../contracts/symbols.ts";
import { MARKET_BATCH_MAX_RECORDS } from "../../../contracts/market.ts";
import type { RestLimit } from "../backfill/TokenBucket.ts";

export const COLLECTOR_EXCHANGES = ["binance", "kucoin", "bitmex"] as const;
export type CollectorExchange = (typeof COLLECTOR_EXCHANGES)[number];

export interface BatchingConfig {
  /** Flush a symbol's buffer when it holds this many records… */
  maxMessages: number;
  /** …or when its oldest record is this old. */
  maxAgeMs: number;
}

export interface ReconnectConfig {
  baseMs: number;
  maxMs: number;
  /** No message at all for this long: the socket is presumed dead and replaced. */
  idleTimeoutMs: number;
}

export interface CollectorConfig {
  exchanges: CollectorExchange[];
  symbols: Record<CollectorExchange, string[]>;
  urls: { binance: string; binanceRest: string; kucoinRest: string; bitmex: string; bitmexRest: string };
  binanceMiniTicker: boolean;
  /** Binance `<symbol>@bookTicker`: best bid/ask quotes (Binance's trade stream carries none). */
  binanceBookTicker: boolean;
  /** `all`: `/market/ticker:all` filtered to the symbols; `symbols`: `/market/ticker:<symbols>` (less traffic). */
  kucoinTickerTopic: "all" | "symbols";
  gaps: GapConfig;
  /** Upper bound of one invocation's collection window. */
  windowMs: number;
  /** Time kept free before the Lambda timeout for the final flush. */
  flushReserveMs: number;
  batching: BatchingConfig;
  reconnect: ReconnectConfig;
  /** Archive+enqueue groups in flight at once. */
  shipConcurrency: number;
  /** Batches waiting to be shipped above which the sockets stop reading (resumed at half). */
  maxPendingBatches: number;
  priceQueue: string;
  rawBucket: string;
  /** Where the collector runs (Lambda's AWS_REGION), named when an exchange refuses the location. */
  region: string;
}

export interface GapConfig {
  /** Detect trade-id gaps and fill them over REST (MARKET_GAP_BACKFILL). */
  enabled: boolean;
  /** Each exchange's REST budget: weight per interval (MARKET_<X>_REST_LIMIT, `<weight>/<ms>`). */
  restLimits: Record<CollectorExchange, RestLimit>;
  /** Longest the REST phase after a window may take, within the flush reserve. */
  maxBackfillMs: number;
  /** A gap found mid-window is fetched after this long (the exchange's history must hold its trades first). */
  fillDelayMs: number;
}

type Env = Record<string, string | undefined>;

// Half of each exchange's published limit: two overlapping windows (two containers, one IP
// each at worst) stay within it. Binance REQUEST_WEIGHT 6000/min; Kucoin Public pool
// 2000/30 s; BitMEX 30 requests/min without an API key.
const DEFAULT_REST_LIMITS: Record<CollectorExchange, string> = { binance: "3000/60000", kucoin: "1000/30000", bitmex: "15/60000" };

function restLimit(env: Env, exchange: CollectorExchange): RestLimit {
  const name = `MARKET_${exchange.toUpperCase()}_REST_LIMIT`;
  const raw = envString(env, name, DEFAULT_REST_LIMITS[exchange]);
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const weight = Number(m?.[1]);
  const perMs = Number(m?.[2]);
  if (!m || weight < 1 || perMs < 100) throw new ConfigError(name, `must be <weight>/<milliseconds> such as ${DEFAULT_REST_LIMITS[exchange]}, got "${raw}"`);
  return { weight, perMs };
}

const DEFAULT_SYMBOLS: Record<CollectorExchange, string> = {
  binance: "BTCUSDT,ETHUSDT",
  kucoin: "BTC-USDT,ETH-USDT",
  bitmex: "XBTUSD,ETHUSD",
};

function list(env: Env, name: string, fallback: string): string[] {
  const items = envString(env, name, fallback).split(",").map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new ConfigError(name, "must list at least one value");
  return [...new Set(items)];
}

function symbols(env: Env, exchange: CollectorExchange): string[] {
  const name = `MARKET_${exchange.toUpperCase()}_SYMBOLS`;
  const values = list(env, name, DEFAULT_SYMBOLS[exchange]).map((s) => s.toUpperCase());
  for (const symbol of values) {
    if (!normaliseSymbol(symbol)) throw new ConfigError(name, `"${symbol}" is not a symbol the mapping can split into base/quote`);
  }
  return values;
}

/** Everything the collector does is decided here, from the environment, with errors that name the variable. */
export function readCollectorConfig(env: Env = process.env): CollectorConfig {
  const exchanges = list(env, "MARKET_EXCHANGES", COLLECTOR_EXCHANGES.join(","));
  for (const e of exchanges) {
    if (!(COLLECTOR_EXCHANGES as readonly string[]).includes(e)) {
      throw new ConfigError("MARKET_EXCHANGES", `unknown exchange "${e}", expected some of ${COLLECTOR_EXCHANGES.join(", ")}`);
    }
  }
  const reconnectBase = envInt(env, "MARKET_RECONNECT_BASE_MS", 250, { min: 10, max: 60_000 });
  return {
    exchanges: exchanges as CollectorExchange[],
    symbols: { binance: symbols(env, "binance"), kucoin: symbols(env, "kucoin"), bitmex: symbols(env, "bitmex") },
    urls: {
      binance: envUrl(env, "MARKET_BINANCE_WS_URL", "wss://stream.binance.com:9443"),
      binanceRest: envUrl(env, "MARKET_BINANCE_REST_URL", "https://api.binance.com"),
      kucoinRest: envUrl(env, "MARKET_KUCOIN_REST_URL", "https://api.kucoin.com"),
      bitmex: envUrl(env, "MARKET_BITMEX_WS_URL", "wss://ws.bitmex.com"),
      bitmexRest: envUrl(env, "MARKET_BITMEX_REST_URL", "https://www.bitmex.com"),
    },
    gaps: {
      enabled: envEnum(env, "MARKET_GAP_BACKFILL", ["true", "false"], "true") === "true",
      restLimits: { binance: restLimit(env, "binance"), kucoin: restLimit(env, "kucoin"), bitmex: restLimit(env, "bitmex") },
      maxBackfillMs: envInt(env, "MARKET_BACKFILL_MAX_MS", 6000, { min: 0, max: 5 * 60_000 }),
      fillDelayMs: envInt(env, "MARKET_GAP_FILL_DELAY_MS", 500, { min: 0, max: 60_000 }),
    },
    binanceMiniTicker: envEnum(env, "MARKET_BINANCE_MINI_TICKER", ["true", "false"], "true") === "true",
    binanceBookTicker: envEnum(env, "MARKET_BINANCE_BOOK_TICKER", ["true", "false"], "true") === "true",
    kucoinTickerTopic: envEnum(env, "MARKET_KUCOIN_TICKER_TOPIC", ["all", "symbols"], "all"),
    windowMs: envInt(env, "MARKET_WINDOW_MS", 60_000, { min: 100, max: 15 * 60_000 }),
    flushReserveMs: envInt(env, "MARKET_FLUSH_RESERVE_MS", 8_000, { min: 0, max: 5 * 60_000 }),
    batching: {
      maxMessages: envInt(env, "MARKET_BATCH_MAX_MESSAGES", 100, { min: 1, max: MARKET_BATCH_MAX_RECORDS }),
      maxAgeMs: envInt(env, "MARKET_BATCH_MAX_AGE_MS", 1000, { min: 10, max: 60_000 }),
    },
    reconnect: {
      baseMs: reconnectBase,
      maxMs: envInt(env, "MARKET_RECONNECT_MAX_MS", 10_000, { min: reconnectBase, max: 300_000 }),
      idleTimeoutMs: envInt(env, "MARKET_IDLE_TIMEOUT_MS", 30_000, { min: 1000, max: 600_000 }),
    },
    shipConcurrency: envInt(env, "MARKET_SHIP_CONCURRENCY", 4, { min: 1, max: 64 }),
    maxPendingBatches: envInt(env, "MARKET_MAX_PENDING_BATCHES", 1000, { min: 2, max: 100_000 }),
    priceQueue: envString(env, "PRICE_QUEUE"),
    rawBucket: envString(env, "RAW_BUCKET"),
    region: envString(env, "AWS_REGION", "this machine (AWS_REGION unset)"),
  };
}
