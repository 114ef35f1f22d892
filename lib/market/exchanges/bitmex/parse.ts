import { buildQuote, buildTrade } from "../buildRecords.ts";
import { emptyParse, isObject, parseJson, toEpochMs, toNumber, type ParsedMessage } from "../ParsedMessage.ts";

export const BITMEX = "bitmex";

/**
 * Bitmex realtime API: `{table, action, data: rows}` for the `trade` and
 * `quote` tables (partial and insert both carry rows). Trade size: Bitmex
 * `size` is in contracts (USD for XBTUSD), so `homeNotional` (base asset) is
 * used when present to keep `size` in base units like the other exchanges.
 * The "pong" text, the welcome info and subscribe results are control.
 */
export function parseBitmex(text: string, receivedAt: number): ParsedMessage {
  const out = emptyParse();
  if (text === "pong") {
    out.control = true;
    return out;
  }
  const message = parseJson(text);
  if (!isObject(message)) {
    out.malformed++;
    return out;
  }
  if ("info" in message || "success" in message) {
    out.control = true;
    return out;
  }
  if (!Array.isArray(message.data) || (message.table !== "trade" && message.table !== "quote")) {
    out.malformed++;
    return out;
  }
  if (message.action === "delete" || message.action === "update") return out; // not used by these tables' consumers
  for (const row of message.data) {
    if (!isObject(row)) {
      out.malformed++;
      continue;
    }
    if (message.table === "trade") {
      const trade = buildTrade({
        exchange: BITMEX, symbol: row.symbol, price: toNumber(row.price), size: toNumber(row.homeNotional) ?? toNumber(row.size),
        side: row.side === "Buy" ? "buy" : row.side === "Sell" ? "sell" : undefined,
        tradeId: row.trdMatchID, ts: toEpochMs(row.timestamp), receivedAt,
      });
      if (trade) out.trades.push(trade);
      else out.malformed++;
    } else {
      const quote = buildQuote({
        exchange: BITMEX, symbol: row.symbol, bid: toNumber(row.bidPrice), ask: toNumber(row.askPrice),
        bidSize: toNumber(row.bidSize), askSize: toNumber(row.askSize), ts: toEpochMs(row.timestamp), receivedAt,
      });
      if (quote) out.quotes.push(quote);
      else out.malformed++;
    }
  }
  return out;
}
