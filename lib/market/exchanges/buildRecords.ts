import type { Quote, Trade } from "../../../contracts/market.ts";
import { normaliseSymbol } from "../../../contracts/symbols.ts";
import type { Tick } from "./ParsedMessage.ts";

// Cheap checks that mirror tradeSchema/quoteSchema (contracts/market.ts), so
// a record the consumer would refuse is counted as malformed here instead of
// poisoning a whole batch; zod per record would cost too much at 20k trades/s.
const MIN_MS = 1_000_000_000_000;
const MAX_MS = 99_999_999_999_999;
const validMs = (ms: number | undefined): ms is number => ms !== undefined && Number.isInteger(ms) && ms >= MIN_MS && ms <= MAX_MS;
const positive = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n > 0;
const nonNegative = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n >= 0;

export interface TradeFields {
  exchange: string;
  symbol: unknown;
  price: number | undefined;
  size: number | undefined;
  side: "buy" | "sell" | undefined;
  tradeId: unknown;
  ts: number | undefined;
  receivedAt: number;
}

export function buildTrade(f: TradeFields): Trade | undefined {
  if (typeof f.symbol !== "string" || f.symbol.length < 1 || f.symbol.length > 32) return undefined;
  const pair = normaliseSymbol(f.symbol);
  const tradeId = typeof f.tradeId === "number" && Number.isFinite(f.tradeId) ? String(f.tradeId) : f.tradeId;
  if (!pair || !positive(f.price) || !nonNegative(f.size) || !f.side || !validMs(f.ts) || !validMs(f.receivedAt)) return undefined;
  if (typeof tradeId !== "string" || tradeId.length < 1 || tradeId.length > 128) return undefined;
  return { exchange: f.exchange, symbol: f.symbol, ...pair, price: f.price, size: f.size, side: f.side, tradeId, ts: f.ts, receivedAt: f.receivedAt };
}

export interface QuoteFields {
  exchange: string;
  symbol: unknown;
  bid: number | undefined;
  ask: number | undefined;
  bidSize?: number | undefined;
  askSize?: number | undefined;
  last?: number | undefined;
  ts: number | undefined;
  receivedAt: number;
}

export function buildQuote(f: QuoteFields): Quote | undefined {
  if (typeof f.symbol !== "string" || f.symbol.length < 1 || f.symbol.length > 32) return undefined;
  const pair = normaliseSymbol(f.symbol);
  if (!pair || !positive(f.bid) || !positive(f.ask) || !validMs(f.ts) || !validMs(f.receivedAt)) return undefined;
  const quote: Quote = { exchange: f.exchange, symbol: f.symbol, ...pair, bid: f.bid, ask: f.ask, ts: f.ts, receivedAt: f.receivedAt };
  if (nonNegative(f.bidSize)) quote.bidSize = f.bidSize;
  if (nonNegative(f.askSize)) quote.askSize = f.askSize;
  if (positive(f.last)) quote.last = f.last;
  return quote;
}

export function buildTick(f: Omit<Tick, "kind" | "base" | "quote" | "symbol"> & { symbol: unknown }): Tick | undefined {
  if (typeof f.symbol !== "string" || f.symbol.length < 1 || f.symbol.length > 32) return undefined;
  const pair = normaliseSymbol(f.symbol);
  const prices = [f.last, f.open, f.high, f.low];
  if (!pair || !prices.every(positive) || !nonNegative(f.volume) || !nonNegative(f.quoteVolume) || !validMs(f.ts)) return undefined;
  return { kind: "tick", ...f, symbol: f.symbol, ...pair };
}
