// Index names, all derived from the record's own immutable time so that the
// same record always lands in the same index (an `_id` is only unique inside
// one index). Unbounded data is split by time so that retention is dropping
// whole indices:
//   trades     <prefix>trades-YYYY.MM.DD        (daily; short retention)
//   candles    <prefix>candles-1s-YYYY.MM.DD    (daily; internal per-second partials)
//              <prefix>candles-1m-YYYY.MM       (monthly)
//              <prefix>candles-<tf>-YYYY        (yearly, tf ≥ 5m)
//   news       <prefix>news-YYYY.MM             (monthly, by publishedAt)
//   sentiment  <prefix>sentiment-YYYY           (yearly, by bucket start)
//   social     <prefix>social-posts-YYYY.MM.DD   (daily, by the post's createdAt; short retention)
//              <prefix>social-activity-YYYY.MM   (monthly, by minute: per coin and minute)
//   quotes     <prefix>quotes                   (bounded: one doc per exchange+symbol)
//   listings   <prefix>listings                 (bounded: one doc per listing site+symbol)
//   completeness <prefix>completeness-YYYY.MM   (monthly, by hour: one doc per collection window and hour)
import type { CandleTimeframe } from "../../contracts/timeframes.ts";

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function utc(ms: number): { y: number; m: string; d: string } {
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) throw new RangeError(`index name: not a time: ${ms}`);
  return { y: date.getUTCFullYear(), m: pad(date.getUTCMonth() + 1), d: pad(date.getUTCDate()) };
}

export type IndexKind = "trades" | "candles" | "quotes" | "listings" | "news" | "sentiment" | "social-posts" | "social-activity" | "completeness";

export class IndexNames {
  constructor(readonly prefix: string) {}

  trades(timeMs: number): string {
    const { y, m, d } = utc(timeMs);
    return `${this.prefix}trades-${y}.${m}.${d}`;
  }

  candles(tf: CandleTimeframe, bucketStartMs: number): string {
    const { y, m, d } = utc(bucketStartMs);
    if (tf === "1s") return `${this.prefix}candles-1s-${y}.${m}.${d}`;
    return tf === "1m" ? `${this.prefix}candles-1m-${y}.${m}` : `${this.prefix}candles-${tf}-${y}`;
  }

  quotes(): string {
    return `${this.prefix}quotes`;
  }

  listings(): string {
    return `${this.prefix}listings`;
  }

  news(publishedAtMs: number): string {
    const { y, m } = utc(publishedAtMs);
    return `${this.prefix}news-${y}.${m}`;
  }

  completeness(hourMs: number): string {
    const { y, m } = utc(hourMs);
    return `${this.prefix}completeness-${y}.${m}`;
  }

  sentiment(bucketStartMs: number): string {
    return `${this.prefix}sentiment-${utc(bucketStartMs).y}`;
  }

  socialPosts(createdAtMs: number): string {
    const { y, m, d } = utc(createdAtMs);
    return `${this.prefix}social-posts-${y}.${m}.${d}`;
  }

  socialActivity(minuteMs: number): string {
    const { y, m } = utc(minuteMs);
    return `${this.prefix}social-activity-${y}.${m}`;
  }

  /** Wildcard pattern matching every index of a kind (candles: of one timeframe if given). */
  pattern(kind: IndexKind, tf?: CandleTimeframe): string {
    if (kind === "quotes") return this.quotes();
    if (kind === "listings") return this.listings();
    if (kind === "candles" && tf !== undefined) return `${this.prefix}candles-${tf}-*`;
    return `${this.prefix}${kind}-*`;
  }
}
