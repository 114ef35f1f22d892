// Backfill against the simulator's REST side: pagination by id and by time,
// within the rate limit (the simulator answers 429 beyond it, as the exchange
// does), and a deadline that leaves what it could not fetch pending.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Trade } from "../../../contracts/market.ts";
import { Backfiller, type GapEvent } from "../../../lib/market/backfill/Backfiller.ts";
import { TokenBucket } from "../../../lib/market/backfill/TokenBucket.ts";
import { binanceTradeHistory } from "../../../lib/market/exchanges/binance/rest.ts";
import { bitmexTradeHistory } from "../../../lib/market/exchanges/bitmex/rest.ts";
import { GapLedger } from "../../../lib/market/gaps/GapLedger.ts";
import { startMarketSimulator, type MarketSimulator } from "../../../localcloud/market-sim/startMarketSimulator.ts";
import { waitFor } from "../../helpers/waitFor.ts";

const ID_BASE = 21e9;
let sim: MarketSimulator;

before(async () => {
  // 100 weight per 2 s: four Binance calls (25 each) fit in one interval, a fifth would be refused.
  sim = await startMarketSimulator({ port: 0, seed: "backfill", runId: 21, symbols: ["BTC-USDT"], tradesPerSecond: 3000, quotesPerSecond: 0, restLimits: { binance: { weight: 100, perMs: 2000 } } });
  await fetch(`${sim.urls.binanceRest}/api/v3/trades?symbol=BTCUSDT&limit=1`); // starts the markets (weight 25)
  await fetch(`${sim.urls.bitmexRest}/api/v1/trade?symbol=XBTUSDT&count=1`);
  await waitFor("3000 trades each", () => (sim.stats().tradesGeneratedBy["binance:BTCUSDT"] ?? 0) > 3000 && (sim.stats().tradesGeneratedBy["bitmex:XBTUSDT"] ?? 0) > 3000, 20_000);
  sim.stopTrading();
});
after(() => sim.close());

function backfiller(source: ConstructorParameters<typeof Backfiller>[0], bucket: TokenBucket) {
  const shipped: Trade[] = [];
  const events: GapEvent[] = [];
  const filler = new Backfiller(source, bucket, (_s, trades) => shipped.push(...trades), (e) => events.push(e));
  return { filler, shipped, events };
}

describe("REST backfill", () => {
  it("Binance: a 2,599-id gap in pages of 1000 from fromId, paced within the weight limit", async () => {
    const ledger = new GapLedger("ids");
    ledger.observeId(BigInt(ID_BASE), 1);
    ledger.observeId(BigInt(ID_BASE + 2600), 2);
    const before = sim.stats().rest.binance;
    const { filler, shipped, events } = backfiller(binanceTradeHistory(sim.urls.binanceRest), new TokenBucket({ weight: 100, perMs: 2000 }));
    const t0 = Date.now();
    await filler.fill("BTCUSDT", ledger, Date.now() + 15_000, new AbortController().signal);
    const elapsed = Date.now() - t0;
    const after = sim.stats().rest.binance;

    assert.deepEqual(shipped.map((t) => Number(t.tradeId)), Array.from({ length: 2599 }, (_, i) => ID_BASE + 1 + i), "every missing id, once, in order");
    assert.equal(ledger.holes.length, 0);
    assert.equal(after.answered - before.answered, 3, "three pages: 1000, 1000, 599");
    assert.equal(after.limited, 0, "never over the exchange's limit");
    // Half the limit up front (two calls), then 25 per second: the third call waits about a second.
    assert.ok(elapsed >= 800, `paced: ${elapsed} ms`);
    assert.deepEqual(events.map((e) => [e.kind, e.trades]), [["filled", 2599]]);
    assert.ok(shipped.every((t) => t.exchange === "binance" && t.symbol === "BTCUSDT" && t.price > 0 && t.size > 0));
  });

  it("a deadline before the rate limit allows the next page: what was fetched ships, the rest stays pending", async () => {
    const ledger = new GapLedger("ids");
    ledger.observeId(BigInt(ID_BASE), 1);
    ledger.observeId(BigInt(ID_BASE + 2600), 2);
    // 50 weight a minute: one call now, the next in half a minute.
    const { filler, shipped } = backfiller(binanceTradeHistory(sim.urls.binanceRest), new TokenBucket({ weight: 50, perMs: 60_000 }));
    await new Promise((r) => setTimeout(r, 2100)); // the simulator's interval from the first test is over
    await filler.fill("BTCUSDT", ledger, Date.now() + 1000, new AbortController().signal);
    assert.equal(shipped.length, 1000);
    assert.match(filler.stats.stoppedBy ?? "", /^budget/);
    assert.deepEqual(ledger.holes.map((h) => [Number(h.from) - ID_BASE, Number(h.to) - ID_BASE, h.attempts]), [[1001, 2599, 1]]);
  });

  it("a spent budget stops the calls against its deadline only: the end-of-window phase, with a later one, still fills", async () => {
    const ledger = new GapLedger("ids");
    ledger.observeId(BigInt(ID_BASE), 1);
    ledger.observeId(BigInt(ID_BASE + 11), 2);
    const { filler, shipped } = backfiller(binanceTradeHistory(sim.urls.binanceRest), new TokenBucket({ weight: 100, perMs: 2000 }));
    // An in-window pass that starts after the window's end (a loaded machine): nothing can be called.
    await filler.fill("BTCUSDT", ledger, Date.now() - 1, new AbortController().signal);
    assert.equal(shipped.length, 0);
    assert.match(filler.stats.stoppedBy ?? "", /^budget/);
    assert.equal(filler.blocked, false, "out of time is not a failure of the exchange");
    await filler.fill("BTCUSDT", ledger, Date.now() + 10_000, new AbortController().signal);
    assert.deepEqual(shipped.map((t) => Number(t.tradeId)), Array.from({ length: 10 }, (_, i) => ID_BASE + 1 + i));
    assert.equal(ledger.holes.length, 0);
  });

  it("BitMEX: a time range in pages of 1000, trades already shipped at its edges skipped by trdMatchID", async () => {
    const rows = (await (await fetch(`${sim.urls.bitmexRest}/api/v1/trade?symbol=XBTUSDT&count=1000&start=0`)).json()) as Array<{ timestamp: string; trdMatchID: string }>;
    const from = Date.parse(rows[100]!.timestamp);
    const to = from + 900;
    const edge = rows.filter((r) => Date.parse(r.timestamp) === from).map((r) => r.trdMatchID);
    const ledger = new GapLedger("time");
    ledger.observeTime(from, edge[0]!, true);
    for (const id of edge.slice(1)) ledger.observeTime(from, id, false);
    ledger.observeTime(to, "first-after-reconnect", true);
    const { filler, shipped } = backfiller(bitmexTradeHistory(sim.urls.bitmexRest), new TokenBucket({ weight: 30, perMs: 60_000 }));
    await filler.fill("XBTUSDT", ledger, Date.now() + 10_000, new AbortController().signal);

    const expected = (await (await fetch(`${sim.urls.bitmexRest}/api/v1/trade?symbol=XBTUSDT&count=1000&startTime=${new Date(from).toISOString()}&endTime=${new Date(to).toISOString()}`)).json()) as unknown[];
    assert.ok(filler.stats.restCalls >= 3, `paged: ${filler.stats.restCalls} calls`);
    assert.equal(new Set(shipped.map((t) => t.tradeId)).size, shipped.length, "no trade twice");
    assert.ok(edge.length > 0 && edge.every((id) => !shipped.some((t) => t.tradeId === id)), "the edge trades shipped live are not shipped again");
    assert.ok(shipped.length > 2000, `the range's trades: ${shipped.length}`);
    assert.ok(shipped.every((t) => t.ts >= from && t.ts <= to));
    assert.equal(ledger.holes.length, 0);
    assert.ok(expected.length === 1000, "(one page of the same range, for scale)");
  });
});
