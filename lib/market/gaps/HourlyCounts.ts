import type { CompletenessHour } from "../../../contracts/completeness.ts";
import { maxBig, minBig } from "./IdRanges.ts";

const HOUR_MS = 3_600_000;

interface Row {
  live: number;
  backfilled: number;
  lost: number;
  pendingTrades: number;
  pendingGaps: number;
  firstId?: bigint;
  lastId?: bigint;
}

/** One window's per-symbol, per-hour counts for the completeness report. Pure. */
export class HourlyCounts {
  private readonly rows = new Map<string, Map<number, Row>>();

  private row(symbol: string, ts: number): Row {
    let bySymbol = this.rows.get(symbol);
    if (!bySymbol) this.rows.set(symbol, (bySymbol = new Map()));
    const hour = Math.floor(ts / HOUR_MS) * HOUR_MS;
    let row = bySymbol.get(hour);
    if (!row) bySymbol.set(hour, (row = { live: 0, backfilled: 0, lost: 0, pendingTrades: 0, pendingGaps: 0 }));
    return row;
  }

  private ids(row: Row, from: bigint | undefined, to: bigint | undefined = from): void {
    if (from === undefined || to === undefined) return;
    row.firstId = row.firstId === undefined ? from : minBig(row.firstId, from);
    row.lastId = row.lastId === undefined ? to : maxBig(row.lastId, to);
  }

  trade(symbol: string, ts: number, id: bigint | undefined, kind: "live" | "backfilled"): void {
    const row = this.row(symbol, ts);
    row[kind]++;
    this.ids(row, id);
  }

  /** Lost ids count in the hour the gap opened in; they widen its id range (they will never be stored elsewhere). */
  lost(symbol: string, fromTs: number, count: number, from?: bigint, to?: bigint): void {
    const row = this.row(symbol, fromTs);
    row.lost += count;
    this.ids(row, from, to);
  }

  /** A gap still open at the end of the window (its ids are not an hour's range: they may land in the next hour). */
  pending(symbol: string, fromTs: number, trades: number): void {
    const row = this.row(symbol, fromTs);
    row.pendingTrades += trades;
    row.pendingGaps++;
  }

  rowsFor(toStore: (symbol: string) => { symbol: string; base: string } | undefined): CompletenessHour[] {
    const out: CompletenessHour[] = [];
    for (const [symbol, byHour] of this.rows) {
      const names = toStore(symbol);
      if (!names) continue;
      for (const [hour, r] of [...byHour].sort(([a], [b]) => a - b)) {
        out.push({
          ...names, hour, live: r.live, backfilled: r.backfilled, lost: r.lost, pendingTrades: r.pendingTrades, pendingGaps: r.pendingGaps,
          ...(r.firstId !== undefined ? { firstId: r.firstId.toString() } : {}),
          ...(r.lastId !== undefined ? { lastId: r.lastId.toString() } : {}),
        });
      }
    }
    return out;
  }
}
