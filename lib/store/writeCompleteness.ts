// The collector's per-window, per-hour gap counts (market.completeness/v1), one
// document per exchange+symbol+hour+window: `index` under a deterministic id,
// so a redelivered report overwrites itself and never counts twice.
import type { MarketCompleteness } from "../../contracts/completeness.ts";
import { bulkWrite, failuresByKey, type BulkOperation } from "./bulkWrite.ts";
import { completenessDocId } from "./documentIds.ts";
import type { StoreError } from "./errors.ts";
import { bulkOptions, type StoreContext } from "./StoreContext.ts";
import type { Keyed } from "./types.ts";

export interface CompletenessDoc {
  exchange: string;
  symbol: string;
  base: string;
  mode: "ids" | "time";
  hour: number;
  windowId: string;
  windowEnd: number;
  live: number;
  backfilled: number;
  lost: number;
  pendingTrades: number;
  pendingGaps: number;
  firstId?: string;
  lastId?: string;
}

export async function writeCompleteness(ctx: StoreContext, reports: readonly Keyed<MarketCompleteness>[]): Promise<{ written: number; failed: Map<string, StoreError> }> {
  const ops: BulkOperation[] = [];
  for (const { key, item: r } of reports) {
    for (const h of r.hours) {
      const doc: CompletenessDoc = { exchange: r.exchange, mode: r.mode, windowId: r.windowId, windowEnd: r.windowEnd, ...h };
      ops.push({ action: "index", index: ctx.names.completeness(h.hour), id: completenessDocId(r.exchange, h.symbol, h.hour, r.windowId), doc, keys: [key] });
    }
  }
  const failed = new Map<string, StoreError>();
  if (ops.length === 0) return { written: 0, failed };
  const results = await bulkWrite(ctx.client, ops, { ...bulkOptions(ctx.config), refresh: true });
  failuresByKey(results, () => false, failed);
  return { written: results.filter((r) => r.status === 200 || r.status === 201).length, failed };
}
