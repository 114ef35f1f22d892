// The `notify/data` payload of one coin. Normally every candle the batch
// touched; a backfill or replay batch can touch thousands of buckets, far over
// the MQTT payload limit (IoT Core: 128 KB), so then only the newest candle of
// each symbol, exchange and timeframe goes out, marked `partial`, and readers
// fetch the rest from the API (the refresh message tells them what changed).
import { MAX_PAYLOAD_BYTES } from "../../notify/notifier.ts";
import type { Candle, ListingDoc, QuoteDoc } from "../../store/types.ts";
import type { PriceFeedRefresh } from "../../../contracts/api.ts";
import { TIMEFRAMES } from "../../../contracts/timeframes.ts";

export interface PriceFeedData {
  coin: string;
  at: string;
  candles: Candle[];
  quotes: QuoteDoc[];
  listings: ListingDoc[];
  /** Present when older touched candles were left out to fit the payload limit. */
  partial?: true;
}

export function latestCandles(candles: readonly Candle[]): Candle[] {
  const latest = new Map<string, Candle>();
  for (const c of candles) {
    const key = `${c.symbol}|${c.exchange}|${c.timeframe}`;
    const seen = latest.get(key);
    if (!seen || c.bucketStart > seen.bucketStart) latest.set(key, c);
  }
  return [...latest.values()];
}

const size = (payload: unknown) => Buffer.byteLength(JSON.stringify(payload));

export function priceFeedData(data: Omit<PriceFeedData, "partial">, limit = MAX_PAYLOAD_BYTES): PriceFeedData {
  if (size(data) <= limit) return data;
  const latest: PriceFeedData = { ...data, candles: latestCandles(data.candles), partial: true };
  if (size(latest) <= limit) return latest;
  // Still too big (a coin listed on very many symbols): the cross-exchange view only.
  return { ...latest, candles: latest.candles.filter((c) => c.exchange === "all") };
}

/** The refresh's `changed`: per timeframe (in timeframe order), the span and count of changed buckets. */
export function changedBuckets(candles: readonly Candle[]): PriceFeedRefresh["changed"] {
  const byTf = new Map<string, Set<number>>();
  for (const c of candles) {
    let starts = byTf.get(c.timeframe);
    if (!starts) byTf.set(c.timeframe, (starts = new Set()));
    starts.add(c.bucketStart);
  }
  return TIMEFRAMES.filter((tf) => byTf.has(tf)).map((timeframe) => {
    const starts = [...(byTf.get(timeframe) as Set<number>)];
    return { timeframe, from: Math.min(...starts), to: Math.max(...starts), buckets: starts.length };
  });
}
