// `market.batch/v2` (trades as columns per symbol): what collectors and replay
// enqueue. It must decode to exactly the trades that were encoded, be much
// smaller than v1 on the wire, and refuse malformed columns naming the field.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PRICE_PAYLOAD_SCHEMAS } from "../../lib/market/consume/consumeMarketMessages.ts";
import { marketEnvelopes } from "../../lib/market/collect/marketEnvelopes.ts";
import {
  MARKET_BATCH_SCHEMA, MARKET_BATCH_V2_SCHEMA, marketBatchV2Schema, tradeColumns, type MarketBatch, type Trade,
} from "../../contracts/market.ts";
import { PoisonMessageError } from "../../lib/queue/errors.ts";
import { validatePayload } from "../../lib/queue/envelope.ts";
import { type WireEnvelope } from "../../contracts/envelope.ts";

const AT = 1_795_338_720_000;
function trades(count: number, symbols = ["BTCUSDT", "ETHUSDT"]): Trade[] {
  return Array.from({ length: count }, (_, i) => {
    const symbol = symbols[(i * 7) % symbols.length]!;
    return {
      exchange: "binance", symbol, base: symbol.slice(0, 3), quote: "USDT",
      price: Math.round((97_000 + Math.sin(i) * 500) * 100) / 100, size: Math.round(Math.abs(Math.cos(i)) * 1e6) / 1e6,
      side: i % 3 === 0 ? "sell" : "buy", tradeId: String(4_200_000_000 + i), ts: AT + i * 3, receivedAt: AT + i * 3 + 40,
    };
  });
}

function wire(payload: unknown, schema = MARKET_BATCH_V2_SCHEMA): WireEnvelope {
  return { schema, id: "b-0", source: "binance", producedAt: new Date(AT).toISOString(), correlationId: "c", payload };
}

function poison(payload: unknown): PoisonMessageError {
  try {
    validatePayload(wire(payload), payload, PRICE_PAYLOAD_SCHEMAS);
  } catch (error) {
    assert.ok(error instanceof PoisonMessageError, String(error));
    return error;
  }
  assert.fail("accepted a malformed payload");
}

describe("market.batch/v2", () => {
  it("decodes to exactly the trades encoded, in their order within each symbol", () => {
    const input = trades(500);
    const encoded = JSON.parse(JSON.stringify({ exchange: "binance", trades: tradeColumns("binance", input), quotes: [] }));
    assert.equal(encoded.trades.length, 2, "one column group per symbol");
    const decoded = marketBatchV2Schema.parse(encoded);
    for (const symbol of ["BTCUSDT", "ETHUSDT"]) {
      assert.deepEqual(decoded.trades.filter((t) => t.symbol === symbol), input.filter((t) => t.symbol === symbol));
    }
    assert.equal(decoded.trades.length, 500);
  });

  it("is what marketEnvelopes writes, chunked as v1 was, and under half of v1's size", () => {
    const input = trades(1200, ["BTCUSDT"]);
    const envelopes = marketEnvelopes("binance", "batch", input, [], new Date(AT), "c");
    assert.deepEqual(envelopes.map((e) => e.id), ["batch-0", "batch-1", "batch-2"]);
    assert.ok(envelopes.every((e) => e.schema === MARKET_BATCH_V2_SCHEMA));
    const decoded = envelopes.flatMap((e) => validatePayload(wire(JSON.parse(JSON.stringify(e.payload))), JSON.parse(JSON.stringify(e.payload)), PRICE_PAYLOAD_SCHEMAS).payload as MarketBatch);
    assert.deepEqual(decoded.flatMap((b) => b.trades), input);

    const v1 = JSON.stringify({ ...envelopes[0], schema: MARKET_BATCH_SCHEMA, payload: { exchange: "binance", trades: input.slice(0, 500), quotes: [] } });
    const v2 = JSON.stringify(envelopes[0]);
    assert.ok(v2.length < 0.5 * v1.length, `v2 ${v2.length} bytes, v1 ${v1.length} bytes for 500 trades`);
  });

  it("v1 is still accepted (the ingest webhook writes it; messages in flight across a deploy)", () => {
    const input = trades(3);
    const payload = { exchange: "binance", trades: input, quotes: [] };
    assert.deepEqual((validatePayload(wire(payload, MARKET_BATCH_SCHEMA), payload, PRICE_PAYLOAD_SCHEMAS).payload as MarketBatch).trades, input);
  });

  it("refuses malformed columns, naming the field", () => {
    const good = () => JSON.parse(JSON.stringify({ exchange: "binance", trades: tradeColumns("binance", trades(4, ["BTCUSDT"])), quotes: [] }));
    const shortPrice = good();
    shortPrice.trades[0].price.pop();
    assert.equal(poison(shortPrice).field, "payload.trades[0].price");
    assert.match(poison(shortPrice).reason, /3 values for 4 trade ids/);

    const badSide = good();
    badSide.trades[0].side = "bxsb";
    assert.equal(poison(badSide).field, "payload.trades[0].side");

    const negative = good();
    negative.trades[0].price[2] = -1;
    assert.equal(poison(negative).field, "payload.trades[0].price[2]");

    const seconds = good();
    seconds.trades[0].ts[1] = Math.floor(AT / 1000);
    assert.equal(poison(seconds).field, "payload.trades[0].ts[1]");

    const extra = good();
    extra.trades[0].exchange = "binance";
    assert.equal(poison(extra).field, "payload.trades[0]");

    assert.match(poison({ exchange: "binance", trades: [], quotes: [] }).reason, /at least one trade or quote/);

    const tooMany = { exchange: "binance", trades: [0, 1].map(() => tradeColumns("binance", trades(2600, ["BTCUSDT"]))[0]), quotes: [] };
    assert.equal(poison(JSON.parse(JSON.stringify(tooMany))).field, "payload.trades");
  });

  it("refuses to encode a trade of another exchange into a batch", () => {
    assert.throws(() => tradeColumns("kucoin", trades(1)), /from binance, the batch from kucoin/);
  });
});
