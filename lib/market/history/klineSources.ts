// The klines endpoint of each collected exchange, and the setting that points it elsewhere.
import { binanceKlines } from "../exchanges/binance/klines.ts";
import { bitmexKlines } from "../exchanges/bitmex/klines.ts";
import { kucoinKlines } from "../exchanges/kucoin/klines.ts";
import type { KlineSource } from "./KlineSource.ts";

export const KLINE_SOURCES: Readonly<Record<KlineSource["exchange"], KlineSource>> = {
  binance: binanceKlines,
  kucoin: kucoinKlines,
  bitmex: bitmexKlines,
};

/** The exchange's REST base URL setting (the same the collector's REST backfill reads). */
export const REST_URL_SETTING: Readonly<Record<KlineSource["exchange"], string>> = {
  binance: "MARKET_BINANCE_REST_URL",
  kucoin: "MARKET_KUCOIN_REST_URL",
  bitmex: "MARKET_BITMEX_REST_URL",
};
