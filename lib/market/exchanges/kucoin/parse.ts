import { buildQuote, buildTrade } from "../buildRecords.ts";
import { emptyParse, isObject, parseJson, toEpochMs, toNumber, type ParsedMessage } from "../ParsedMessage.ts";

export const KUCOIN = "kucoin";
const CONTROL = new Set(["welcome", "ack", "pong"]);

/**
 * Kucoin spot websocket: `/market/ticker:all` (best bid/ask, last price; the
 * symbol is the message's subject) → quotes; `/market/match:<symbols>` → trades
 * (side is the taker's; time in nanoseconds; id the match's sequence). welcome/ack/pong are control.
 */
export function parseKucoin(text: string, receivedAt: number): ParsedMessage {
  const out = emptyParse();
  const message = parseJson(text);
  if (!isObject(message)) {
    out.malformed++;
    return out;
  }
  if (typeof message.type === "string" && CONTROL.has(message.type)) {
    out.control = true;
    return out;
  }
  const data = message.data;
  const topic = typeof message.topic === "string" ? message.topic : "";
  if (message.type !== "message" || !isObject(data)) {
    out.malformed++;
    return out;
  }
  if (topic.startsWith("/market/ticker:")) {
    // ticker:all names the symbol in the subject; ticker:<symbol> in the topic.
    const symbol = topic === "/market/ticker:all" ? message.subject : topic.slice("/market/ticker:".length);
    const quote = buildQuote({
      exchange: KUCOIN, symbol, bid: toNumber(data.bestBid), ask: toNumber(data.bestAsk),
      bidSize: toNumber(data.bestBidSize), askSize: toNumber(data.bestAskSize), last: toNumber(data.price),
      ts: toEpochMs(data.time), receivedAt,
    });
    if (quote) out.quotes.push(quote);
    else out.malformed++;
    return out;
  }
  if (topic.startsWith("/market/match:")) {
    const trade = buildTrade({
      exchange: KUCOIN, symbol: data.symbol, price: toNumber(data.price), size: toNumber(data.size),
      side: data.side === "buy" || data.side === "sell" ? data.side : undefined,
      // The sequence, not tradeId: it is what the REST trade history (market/histories) carries,
      // so a trade backfilled over REST gets the id it has on the socket; and it is ordered, so gaps show.
      tradeId: data.sequence ?? data.tradeId, ts: toEpochMs(data.time), receivedAt,
    });
    if (trade) out.trades.push(trade);
    else out.malformed++;
    return out;
  }
  out.malformed++;
  return out;
}
