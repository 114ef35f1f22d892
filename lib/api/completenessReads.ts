// GET /completeness: per exchange and hour, what the exchange's trade ids say it
// made, what the store holds, what was backfilled, what is known lost and what
// is still pending — from the collector's per-window reports (consume-prices
// stores them, one document per window and hour) and the exchanges' 1h candles.
import type { CompletenessAnswer, CompletenessRow } from "../../contracts/api.ts";
import { ALL_EXCHANGES } from "../store/documentIds.ts";
import type { Candle } from "../store/types.ts";
import type { CompletenessDoc } from "../store/writeCompleteness.ts";
import { searchAll, type ApiStore } from "./marketReads.ts";
import { iso, windowJson, type TimeWindow } from "./windows.ts";

export const COMPLETENESS_DEFINITION =
  "per exchange and UTC hour with bucket start in [from, to): expected = last − first trade id + 1 over the hour's trades (null without ids); " +
  "stored = the exchange's 1h candle; backfilled and knownMissing summed over collection windows; pending as the latest window left it";

const COMPLETENESS_FIELDS = ["exchange", "symbol", "mode", "hour", "windowEnd", "backfilled", "lost", "pendingTrades", "pendingGaps", "firstId", "lastId"];

export async function completeness(store: ApiStore, symbol: string, window: TimeWindow): Promise<CompletenessAnswer> {
  const range = { range: { hour: { gte: window.from, lt: window.to } } };
  const [docs, candles] = await Promise.all([
    searchAll<CompletenessDoc>(
      store,
      store.names.pattern("completeness"),
      { bool: { filter: [{ term: { symbol } }, range] } },
      [{ exchange: { order: "asc" } }, { hour: { order: "asc" } }, { windowEnd: { order: "asc" } }],
      COMPLETENESS_FIELDS,
    ),
    searchAll<Candle>(
      store,
      store.names.pattern("candles", "1h"),
      { bool: { filter: [{ term: { symbol } }, { term: { timeframe: "1h" } }, { range: { bucketStart: { gte: window.from, lt: window.to } } }], must_not: [{ term: { exchange: ALL_EXCHANGES } }] } },
      [{ exchange: { order: "asc" } }, { bucketStart: { order: "asc" } }],
      ["exchange", "bucketStart", "trades"],
    ),
  ]);
  interface Acc {
    exchange: string;
    hour: number;
    mode?: "ids" | "time";
    stored: number;
    backfilled: number;
    lost: number;
    latest?: CompletenessDoc;
    first?: bigint;
    last?: bigint;
  }
  const rows = new Map<string, Acc>();
  const acc = (exchange: string, hour: number) => {
    const key = `${exchange}|${hour}`;
    let a = rows.get(key);
    if (!a) rows.set(key, (a = { exchange, hour, stored: 0, backfilled: 0, lost: 0 }));
    return a;
  };
  for (const c of candles) acc(c.exchange, c.bucketStart).stored = c.trades;
  for (const d of docs) {
    const a = acc(d.exchange, d.hour);
    a.mode = d.mode;
    a.backfilled += d.backfilled;
    a.lost += d.lost;
    if (!a.latest || d.windowEnd >= a.latest.windowEnd) a.latest = d;
    if (d.firstId !== undefined) a.first = a.first === undefined || BigInt(d.firstId) < a.first ? BigInt(d.firstId) : a.first;
    if (d.lastId !== undefined) a.last = a.last === undefined || BigInt(d.lastId) > a.last ? BigInt(d.lastId) : a.last;
  }
  const hours: CompletenessRow[] = [...rows.values()]
    .sort((x, y) => (x.exchange < y.exchange ? -1 : x.exchange > y.exchange ? 1 : x.hour - y.hour))
    .map((a) => {
      const expected = a.mode === "ids" && a.first !== undefined && a.last !== undefined ? Number(a.last - a.first + 1n) : null;
      const pending = a.latest?.pendingTrades ?? 0;
      const pendingGaps = a.latest?.pendingGaps ?? 0;
      return {
        exchange: a.exchange, hour: iso(a.hour), mode: a.mode ?? null, expected, stored: a.stored, backfilled: a.backfilled, knownMissing: a.lost, pending, pendingGaps,
        complete: a.mode !== undefined && pendingGaps === 0 && (expected === null || a.stored + a.lost >= expected),
      };
    });
  return { symbol, ...windowJson(window), definition: COMPLETENESS_DEFINITION, hours };
}
