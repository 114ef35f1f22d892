import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { normaliseSymbol } from "../../contracts/symbols.ts";
import type { MessageParser, ParsedMessage } from "../../lib/market/exchanges/ParsedMessage.ts";
import { parseBinance } from "../../lib/market/exchanges/binance/parse.ts";
import { parseBitmex } from "../../lib/market/exchanges/bitmex/parse.ts";
import { parseKucoin } from "../../lib/market/exchanges/kucoin/parse.ts";
import { quoteSchema, tradeSchema } from "../../contracts/market.ts";

const RECEIVED = 1_795_338_730_000;
const lines = (name: string) => readFileSync(new URL(`./fixtures/${name}.jsonl`, import.meta.url), "utf8").split("\n").filter((l) => l !== "");

function parseAll(parser: MessageParser, name: string): ParsedMessage & { controls: number } {
  const total = { trades: [], quotes: [], ticks: [], malformed: 0, control: false, controls: 0 } as ParsedMessage & { controls: number };
  for (const line of lines(name)) {
    const out = parser(line, RECEIVED);
    total.trades.push(...out.trades);
    total.quotes.push(...out.quotes);
    total.ticks.push(...out.ticks);
    total.malformed += out.malformed;
    if (out.control) total.controls++;
  }
  return total;
}

function assertContract(parsed: ParsedMessage): void {
  for (const t of parsed.trades) assert.deepEqual(tradeSchema.parse(t), t, "every trade passes the consumer's schema");
  for (const q of parsed.quotes) assert.deepEqual(quoteSchema.parse(q), q, "every quote passes the consumer's schema");
}

describe("symbol normalisation", () => {
  const table: Array<[string, string, string]> = [
    ["BTCUSDT", "BTC", "USDT"], ["ETHUSDT", "ETH", "USDT"], ["ETHBTC", "ETH", "BTC"], ["BNBFDUSD", "BNB", "FDUSD"],
    ["SOLUSDC", "SOL", "USDC"], ["btcusdt", "BTC", "USDT"], ["BTC-USDT", "BTC", "USDT"], ["ETH-BTC", "ETH", "BTC"],
    ["XBTUSD", "BTC", "USD"], ["ETHUSD", "ETH", "USD"], ["XBTUSDT", "BTC", "USDT"], ["SOLUSD", "SOL", "USD"],
    ["ETHUSDTM", "ETH", "USDT"], ["XBTUSDTM", "BTC", "USDT"], ["XBTUSDM", "BTC", "USD"], ["SOLUSDTM", "SOL", "USDT"],
    ["ETHXBT", "ETH", "BTC"], ["1000PEPEUSDT", "1000PEPE", "USDT"], ["XBT-USDT", "BTC", "USDT"],
  ];
  for (const [symbol, base, quote] of table) {
    it(`${symbol} → ${base}/${quote}`, () => assert.deepEqual(normaliseSymbol(symbol), { base, quote }));
  }
  it("refuses what it cannot split", () => {
    for (const symbol of ["", "???", "USDT", "BTC-", "A-B-C", "XBTZ26", "BTC-BTC"]) assert.equal(normaliseSymbol(symbol), undefined, symbol);
  });
});

describe("Binance parser", () => {
  it("reads trade events (raw and combined-stream) and mini-ticker arrays", () => {
    const parsed = parseAll(parseBinance, "binance");
    assertContract(parsed);
    assert.equal(parsed.malformed, 0);
    assert.equal(parsed.controls, 1, "the SUBSCRIBE result is control traffic");
    assert.deepEqual(parsed.trades[0], {
      exchange: "binance", symbol: "BTCUSDT", base: "BTC", quote: "USDT", price: 98106.67, size: 0.06119,
      side: "buy", tradeId: "4211000123", ts: 1795338720000, receivedAt: RECEIVED,
    });
    assert.equal(parsed.trades[1]!.side, "sell", "m=true: the buyer was the maker, so the taker sold");
    assert.equal(parsed.trades[2]!.symbol, "ETHUSDT");
    assert.equal(parsed.quotes.length, 0, "mini tickers carry no bid/ask, so they are never quotes");
    assert.equal(parsed.ticks.length, 2);
    assert.deepEqual(parsed.ticks[0], {
      kind: "tick", exchange: "binance", symbol: "BTCUSDT", base: "BTC", quote: "USDT", last: 98106.67, open: 96950.1, high: 98500,
      low: 96512, volume: 18123.55431, quoteVolume: 1765432109.12, ts: 1795338721000, receivedAt: RECEIVED,
    });
  });
  it("skips and counts malformed messages without throwing", () => {
    const parsed = parseAll(parseBinance, "binance-malformed");
    assert.equal(parsed.trades.length + parsed.quotes.length + parsed.ticks.length, 0);
    assert.equal(parsed.malformed, 10);
  });
});

describe("Kucoin parser", () => {
  it("reads ticker:all as quotes and match messages as trades", () => {
    const parsed = parseAll(parseKucoin, "kucoin");
    assertContract(parsed);
    assert.equal(parsed.malformed, 0);
    assert.equal(parsed.controls, 3, "welcome, ack and pong");
    assert.deepEqual(parsed.quotes[0], {
      exchange: "kucoin", symbol: "BTC-USDT", base: "BTC", quote: "USDT", bid: 98106.9, ask: 98107.1, bidSize: 0.01045638,
      askSize: 1.92318539, last: 98107, ts: 1795338722921, receivedAt: RECEIVED,
    });
    assert.deepEqual(parsed.trades[0], {
      exchange: "kucoin", symbol: "BTC-USDT", base: "BTC", quote: "USDT", price: 98106.9, size: 0.003, side: "sell",
      tradeId: "11067996711960577", ts: 1795338722921, receivedAt: RECEIVED,
    });
    assert.equal(parsed.trades[1]!.ts, 1795338722955, "nanosecond match times become milliseconds");
  });
  it("skips and counts malformed messages without throwing", () => {
    const parsed = parseAll(parseKucoin, "kucoin-malformed");
    assert.equal(parsed.trades.length + parsed.quotes.length, 0);
    assert.equal(parsed.malformed, 7);
  });
});

describe("Bitmex parser", () => {
  it("reads trade and quote table rows", () => {
    const parsed = parseAll(parseBitmex, "bitmex");
    assertContract(parsed);
    assert.equal(parsed.malformed, 0);
    assert.equal(parsed.controls, 3, "welcome, subscribe result and pong");
    assert.equal(parsed.trades.length, 3, "an empty partial adds nothing");
    assert.deepEqual(parsed.trades[0], {
      exchange: "bitmex", symbol: "XBTUSD", base: "BTC", quote: "USD", price: 98100.5, size: 0.02038725, side: "sell",
      tradeId: "6f1c2a3b-0d4e-5f60-7182-93a4b5c6d7e8", ts: Date.parse("2026-11-22T09:12:00.120Z"), receivedAt: RECEIVED,
    });
    assert.equal(parsed.trades[2]!.size, 5, "without homeNotional the contract size is kept");
    assert.equal(parsed.trades[2]!.side, "buy");
    assert.deepEqual(parsed.quotes[0], {
      exchange: "bitmex", symbol: "XBTUSD", base: "BTC", quote: "USD", bid: 98100, ask: 98100.5, bidSize: 120400, askSize: 53100,
      ts: Date.parse("2026-11-22T09:12:00.250Z"), receivedAt: RECEIVED,
    });
  });
  it("skips and counts malformed rows and messages without throwing", () => {
    const parsed = parseAll(parseBitmex, "bitmex-malformed");
    assert.equal(parsed.trades.length + parsed.quotes.length, 0);
    assert.equal(parsed.malformed, 8);
  });
});
