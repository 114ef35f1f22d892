// Trades are the source of truth for candles: stored with `create` under
// their deterministic id, so a trade seen twice (redelivery, overlapping
// collection windows, reconnects) is refused as a duplicate (409), never
// stored twice.
import { addFailure, bulkWrite, failuresByKey, type BulkOperation } from "./bulkWrite.ts";
import { tradeDocId } from "./documentIds.ts";
import { PermanentStoreError, type StoreError } from "./errors.ts";
import { bulkOptions, type StoreContext } from "./StoreContext.ts";
import type { Keyed, MarketTrade, TradeDoc } from "./types.ts";
import { tradeProblem } from "./validateMarketData.ts";

export interface TradeWriteResult {
  /** Trades that are in the store now (new or already there), with their record keys. */
  stored: Keyed<MarketTrade>[];
  created: number;
  duplicates: number;
  /** Indices written (to refresh before candles are computed). */
  indices: Set<string>;
  failed: Map<string, StoreError>;
}

export function tradeDoc(t: MarketTrade): TradeDoc {
  const doc: TradeDoc = {
    exchange: t.exchange,
    symbol: t.symbol,
    tradeId: t.tradeId,
    time: t.time,
    price: t.price,
    size: t.size,
    quoteVolume: t.price * t.size,
  };
  if (t.base !== undefined) doc.base = t.base;
  if (t.quote !== undefined) doc.quote = t.quote;
  if (t.side !== undefined) doc.side = t.side;
  if (t.receivedAt !== undefined) doc.receivedAt = t.receivedAt;
  return doc;
}

export async function writeTrades(ctx: StoreContext, trades: readonly Keyed<MarketTrade>[]): Promise<TradeWriteResult> {
  const failed = new Map<string, StoreError>();
  const limits = { now: ctx.now(), retentionHours: ctx.config.tradeRetentionHours };
  const byId = new Map<string, { trade: MarketTrade; keys: string[] }>();
  for (const { key, item } of trades) {
    const problem = tradeProblem(item, limits);
    if (problem !== undefined) {
      addFailure(failed, key, new PermanentStoreError(problem, { type: "invalid_trade" }));
      continue;
    }
    const id = tradeDocId(item.exchange, item.symbol, item.tradeId);
    const entry = byId.get(id);
    if (entry === undefined) byId.set(id, { trade: item, keys: [key] });
    else if (!entry.keys.includes(key)) entry.keys.push(key);
  }
  const ops: BulkOperation[] = [];
  for (const [id, { trade, keys }] of byId) {
    ops.push({ action: "create", index: ctx.names.trades(trade.time), id, doc: tradeDoc(trade), keys });
  }
  // Refreshed with the write: the candles are computed from these trades next.
  const results = ops.length > 0 ? await bulkWrite(ctx.client, ops, { ...bulkOptions(ctx.config), refresh: true }) : [];
  failuresByKey(results, (r) => r.status === 409, failed);

  const stored: Keyed<MarketTrade>[] = [];
  const indices = new Set<string>();
  let created = 0;
  let duplicates = 0;
  for (const r of results) {
    const ok = r.status === 201 || r.status === 200;
    if (!ok && r.status !== 409) continue;
    if (ok) created++;
    else duplicates++;
    indices.add(r.op.index);
    const { trade } = byId.get(r.op.id) as { trade: MarketTrade };
    for (const key of r.op.keys) stored.push({ key, item: trade });
  }
  return { stored, created, duplicates, indices, failed };
}
