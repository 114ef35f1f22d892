import { buildQuote, buildTick, buildTrade } from "../buildRecords.ts";
import { emptyParse, isObject, parseJson, toNumber, type ParsedMessage } from "../ParsedMessage.ts";

export const BINANCE = "binance";

function addEvent(event: unknown, out: ParsedMessage, receivedAt: number): void {
  if (!isObject(event)) {
    out.malformed++;
    return;
  }
  if (event.e === "trade") {
    // m: the buyer is the maker, so the aggressor (taker) sold.
    const trade = buildTrade({
      exchange: BINANCE, symbol: event.s, price: toNumber(event.p), size: toNumber(event.q),
      side: event.m === true ? "sell" : event.m === false ? "buy" : undefined,
      tradeId: event.t, ts: toNumber(event.T) ?? toNumber(event.E), receivedAt,
    });
    if (trade) out.trades.push(trade);
    else out.malformed++;
    return;
  }
  if (event.e === undefined && "u" in event && "b" in event && "a" in event) {
    // <symbol>@bookTicker: no event type and no time of its own (spot), so the receive time stands for it.
    const quote = buildQuote({
      exchange: BINANCE, symbol: event.s, bid: toNumber(event.b), ask: toNumber(event.a),
      bidSize: toNumber(event.B), askSize: toNumber(event.A), ts: receivedAt, receivedAt,
    });
    if (quote) out.quotes.push(quote);
    else out.malformed++;
    return;
  }
  if (event.e === "24hrMiniTicker") {
    const tick = buildTick({
      exchange: BINANCE, symbol: event.s, last: toNumber(event.c)!, open: toNumber(event.o)!, high: toNumber(event.h)!, low: toNumber(event.l)!,
      volume: toNumber(event.v)!, quoteVolume: toNumber(event.q)!, ts: toNumber(event.E)!, receivedAt,
    });
    if (tick) out.ticks.push(tick);
    else out.malformed++;
    return;
  }
  out.malformed++;
}

/**
 * Binance spot streams: `<symbol>@trade` events, `<symbol>@bookTicker` best
 * bid/ask (quotes) and `!miniTicker@arr` arrays,
 * raw (`/ws`) or wrapped by the combined endpoint (`{stream, data}`).
 * `{result, id}` answers a SUBSCRIBE request.
 */
export function parseBinance(text: string, receivedAt: number): ParsedMessage {
  const out = emptyParse();
  let message = parseJson(text);
  if (isObject(message) && "stream" in message && "data" in message) message = message.data;
  if (isObject(message) && "id" in message && ("result" in message || "error" in message)) {
    if (message.error) out.malformed++;
    else out.control = true;
    return out;
  }
  if (Array.isArray(message)) for (const event of message) addEvent(event, out, receivedAt);
  else addEvent(message, out, receivedAt);
  return out;
}
