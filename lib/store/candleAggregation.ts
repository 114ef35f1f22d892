// Pure: the search that recomputes a set of candle targets from their sources
// in one request, and the parser of its answer.
//
// Targets are grouped by (level, bucket). Each group is one `filter`
// aggregation whose filter is exactly "the source documents of this bucket"
// (time range computed here, not by the server's date rounding), split by
// `terms` on exchange (exchange scope) and symbol, with the candle metrics
// below: min/max/sum, and `top_hits` of size 1 for the open and the close.
import { bucketEnd, bucketStartsBetween } from "../candles/bucketStart.ts";
import type { CandleTarget } from "./candleTargets.ts";
import { ALL_EXCHANGES } from "./documentIds.ts";
import type { IndexNames } from "./IndexNames.ts";
import { refKey } from "./readVersions.ts";
import type { CandleTimeframe } from "../../contracts/timeframes.ts";
import type { AnyCandle } from "./types.ts";

export interface CandleSearchGroup {
  name: string;
  scope: "exchange" | "all";
  timeframe: CandleTimeframe;
  fromTrades: boolean;
  bucketStart: number;
  /** `${scope}|${symbol}` → refKey of the target. */
  targets: Map<string, string>;
}

export interface CandleSearch {
  indices: string[];
  body: Record<string, unknown>;
  groups: CandleSearchGroup[];
}

const TRADE_METRICS = {
  low: { min: { field: "price" } },
  high: { max: { field: "price" } },
  volume: { sum: { field: "size" } },
  quoteVolume: { sum: { field: "quoteVolume" } },
  openTime: { min: { field: "time" } },
  closeTime: { max: { field: "time" } },
  first: {
    top_hits: { size: 1, sort: [{ time: { order: "asc" } }, { tradeId: { order: "asc" } }], _source: { includes: ["price"] } },
  },
  last: {
    top_hits: { size: 1, sort: [{ time: { order: "desc" } }, { tradeId: { order: "desc" } }], _source: { includes: ["price"] } },
  },
};

const CANDLE_METRICS = {
  low: { min: { field: "low" } },
  high: { max: { field: "high" } },
  volume: { sum: { field: "volume" } },
  quoteVolume: { sum: { field: "quoteVolume" } },
  trades: { sum: { field: "trades" } },
  openTime: { min: { field: "openTime" } },
  closeTime: { max: { field: "closeTime" } },
  first: {
    top_hits: { size: 1, sort: [{ openTime: { order: "asc" } }, { exchange: { order: "asc" } }], _source: { includes: ["open"] } },
  },
  last: {
    top_hits: { size: 1, sort: [{ closeTime: { order: "desc" } }, { exchange: { order: "desc" } }], _source: { includes: ["close"] } },
  },
};

/** Builds searches (at most `maxGroups` filter aggregations each) for targets of one round. */
export function buildCandleSearches(targets: readonly CandleTarget[], names: IndexNames, maxGroups = 64): CandleSearch[] {
  const groups = new Map<string, { group: CandleSearchGroup; symbols: Set<string>; exchanges: Set<string>; source: "trades" | CandleTimeframe }>();
  for (const t of targets) {
    const gk = `${t.level.scope}|${t.level.timeframe}|${t.bucketStart}`;
    let g = groups.get(gk);
    if (g === undefined) {
      g = {
        group: {
          name: "",
          scope: t.level.scope,
          timeframe: t.level.timeframe,
          fromTrades: t.level.source === "trades",
          bucketStart: t.bucketStart,
          targets: new Map(),
        },
        symbols: new Set(),
        exchanges: new Set(),
        source: t.level.source,
      };
      groups.set(gk, g);
    }
    g.symbols.add(t.symbol);
    if (t.scope !== ALL_EXCHANGES) g.exchanges.add(t.scope);
    g.group.targets.set(`${t.scope}|${t.symbol}`, refKey(t.index, t.id));
  }

  const all = [...groups.values()];
  const searches: CandleSearch[] = [];
  for (let i = 0; i < all.length; i += maxGroups) {
    const slice = all.slice(i, i + maxGroups);
    const indices = new Set<string>();
    const aggs: Record<string, unknown> = {};
    const symbols = new Set<string>();
    let from = Infinity;
    let to = -Infinity;
    slice.forEach((g, n) => {
      g.group.name = `g${n}`;
      const start = g.group.bucketStart;
      const end = bucketEnd(g.group.timeframe, start);
      from = Math.min(from, start);
      to = Math.max(to, end);
      const symbolList = [...g.symbols].sort();
      for (const s of symbolList) symbols.add(s);
      const filter: unknown[] = [];
      const mustNot: unknown[] = [];
      // Every index split is at least a day, so one name per day of the bucket covers it.
      const days = bucketStartsBetween("1d", start, end);
      if (g.source === "trades") {
        for (const day of days) indices.add(names.trades(day));
        filter.push({ range: { time: { gte: start, lt: end } } });
      } else {
        for (const day of days) indices.add(names.candles(g.source, day));
        filter.push({ term: { timeframe: g.source } }, { range: { bucketStart: { gte: start, lt: end } } });
        if (g.group.scope === "all") mustNot.push({ term: { exchange: ALL_EXCHANGES } });
      }
      filter.push({ terms: { symbol: symbolList } });
      const metrics = g.source === "trades" ? TRADE_METRICS : CANDLE_METRICS;
      const bySymbol = { terms: { field: "symbol", size: symbolList.length }, aggs: metrics };
      let inner: unknown = bySymbol;
      if (g.group.scope === "exchange") {
        const exchanges = [...g.exchanges].sort();
        filter.push({ terms: { exchange: exchanges } });
        inner = { terms: { field: "exchange", size: exchanges.length }, aggs: { by_symbol: bySymbol } };
      }
      const query = { bool: mustNot.length > 0 ? { filter, must_not: mustNot } : { filter } };
      aggs[g.group.name] = { filter: query, aggs: { [g.group.scope === "exchange" ? "by_exchange" : "by_symbol"]: inner } };
    });
    const fromTrades = new Set(slice.map((g) => g.source === "trades"));
    const narrow: unknown[] = [{ terms: { symbol: [...symbols].sort() } }];
    // (Trades and candles never share a round, but a mixed search must not be narrowed on one time field.)
    if (fromTrades.size === 1) narrow.push({ range: { [fromTrades.has(true) ? "time" : "bucketStart"]: { gte: from, lt: to } } });
    searches.push({
      indices: [...indices].sort(),
      body: {
        size: 0,
        track_total_hits: false,
        // Only a cheap narrowing here; each group's filter aggregation is exact.
        query: { bool: { filter: narrow } },
        aggs,
      },
      groups: slice.map((g) => g.group),
    });
  }
  return searches;
}

interface ValueAgg {
  value: number | null;
}
interface TopHitsAgg {
  hits: { hits: { _source?: Record<string, unknown> }[] };
}
interface TermsAgg<B> {
  buckets: (B & { key: string; doc_count: number })[];
}
type MetricBucket = Record<string, ValueAgg | TopHitsAgg | unknown>;

function num(b: MetricBucket, name: string): number {
  const v = (b[name] as ValueAgg | undefined)?.value;
  if (typeof v !== "number") throw new Error(`candle aggregation: ${name} missing`);
  return v;
}

function hit(b: MetricBucket, name: string, field: string): number {
  const v = (b[name] as TopHitsAgg | undefined)?.hits?.hits?.[0]?._source?.[field];
  if (typeof v !== "number") throw new Error(`candle aggregation: ${name}.${field} missing`);
  return v;
}

function toCandle(group: CandleSearchGroup, scope: string, symbol: string, b: MetricBucket & { doc_count: number }): AnyCandle {
  return {
    exchange: scope,
    symbol,
    timeframe: group.timeframe,
    bucketStart: group.bucketStart,
    open: hit(b, "first", group.fromTrades ? "price" : "open"),
    high: num(b, "high"),
    low: num(b, "low"),
    close: hit(b, "last", group.fromTrades ? "price" : "close"),
    volume: num(b, "volume"),
    quoteVolume: num(b, "quoteVolume"),
    trades: group.fromTrades ? b.doc_count : Math.round(num(b, "trades")),
    openTime: num(b, "openTime"),
    closeTime: num(b, "closeTime"),
  };
}

/** Candles of the search's targets, keyed by refKey(index, id). Targets with no source documents are absent. */
export function parseCandleSearch(search: CandleSearch, response: { aggregations?: Record<string, unknown> }): Map<string, AnyCandle> {
  const out = new Map<string, AnyCandle>();
  for (const group of search.groups) {
    const agg = response.aggregations?.[group.name] as Record<string, unknown> | undefined;
    if (agg === undefined) throw new Error(`candle aggregation: ${group.name} missing from the response`);
    const take = (scope: string, symbols: TermsAgg<MetricBucket>) => {
      for (const sb of symbols.buckets) {
        const target = group.targets.get(`${scope}|${sb.key}`);
        if (target !== undefined && sb.doc_count > 0) out.set(target, toCandle(group, scope, String(sb.key), sb));
      }
    };
    if (group.scope === "exchange") {
      for (const eb of (agg.by_exchange as TermsAgg<{ by_symbol: TermsAgg<MetricBucket> }>).buckets) {
        take(String(eb.key), eb.by_symbol);
      }
    } else {
      take(ALL_EXCHANGES, agg.by_symbol as TermsAgg<MetricBucket>);
    }
  }
  return out;
}

/** Field-by-field equality of the candle values (ignores bookkeeping like updatedAt). */
export function sameCandle(a: AnyCandle, b: AnyCandle): boolean {
  return (
    a.open === b.open &&
    a.high === b.high &&
    a.low === b.low &&
    a.close === b.close &&
    a.volume === b.volume &&
    a.quoteVolume === b.quoteVolume &&
    a.trades === b.trades &&
    a.openTime === b.openTime &&
    a.closeTime === b.closeTime
  );
}
