// An exchange that refuses this location (HTTP 451/403 on the websocket
// handshake or Kucoin's bullet call) ends its session at once and the
// invocation reports it once, naming the exchange and the region: no reconnect loop.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { RegionRefusedError } from "../../lib/market/exchanges/ExchangeRefusal.ts";
import { runCollectionWindow } from "../../lib/market/collect/runCollectionWindow.ts";
import { startMarketSimulator, type MarketSimulator } from "../../localcloud/market-sim/startMarketSimulator.ts";
import { startLocalSqsS3, type LocalSqsS3 } from "../helpers/localSqsS3.ts";
import { collectorConfig, collectorDeps, createBucket, drainQueue, freshQueue } from "./collectorHarness.ts";

// Binance's answer to a US address, as its API documentation describes it.
const BINANCE_451 = JSON.stringify({ code: 0, msg: "Service unavailable from a restricted location according to 'b. Eligibility' in https://www.binance.com/en/terms." });

/** A server that refuses every websocket handshake and every HTTP request with `status`, counting attempts. */
async function refusingServer(status: number, body: string): Promise<{ url: string; attempts: () => number; close: () => Promise<void> }> {
  let attempts = 0;
  const server: Server = createServer((_req, res) => {
    attempts++;
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  server.on("upgrade", (_req, socket) => {
    attempts++;
    const reason = status === 451 ? "Unavailable For Legal Reasons" : "Forbidden";
    socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `127.0.0.1:${port}`, attempts: () => attempts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let cloud: LocalSqsS3;
let sim: MarketSimulator;

before(async () => {
  cloud = await startLocalSqsS3();
  await createBucket(cloud);
  sim = await startMarketSimulator({ port: 0, seed: "refusal-test", symbols: ["BTC-USDT", "ETH-USDT", "BTC-USD"], tradesPerSecond: 50, quotesPerSecond: 5 });
});
after(async () => {
  await sim.close();
  await cloud.close();
});

async function collectAgainst(env: Record<string, string>, windowMs: number) {
  const queue = await freshQueue(cloud);
  const config = collectorConfig(sim, queue.name, { MARKET_WINDOW_MS: String(windowMs), AWS_REGION: "us-east-1", ...env });
  const started = Date.now();
  const error = await runCollectionWindow(config, collectorDeps(cloud, queue.url), { remainingTimeMs: 60_000, correlationId: "refusal" }).then(
    () => assert.fail("the collection window should report the refusal"),
    (e: unknown) => e,
  );
  return { error, elapsedMs: Date.now() - started, envelopes: await drainQueue(cloud, queue.url) };
}

describe("an exchange that refuses this location", () => {
  it("Binance's 451 on the handshake: one error naming the exchange, the region and Binance's reason; one attempt; the window ends at once", async () => {
    const binance = await refusingServer(451, BINANCE_451);
    try {
      const { error, elapsedMs } = await collectAgainst({ MARKET_EXCHANGES: "binance", MARKET_BINANCE_WS_URL: `ws://${binance.url}` }, 10_000);
      assert.ok(error instanceof RegionRefusedError, String(error));
      assert.match(error.message, /^binance refused connections from region us-east-1: binance \(HTTP 451: .*restricted location/);
      assert.match(error.message, /Deploy to a region it serves \(the default, eu-west-1, is served by Binance, Kucoin and BitMEX/);
      assert.deepEqual(error.refusals.map((r) => [r.exchange, r.status]), [["binance", 451]]);
      assert.equal(binance.attempts(), 1, "no reconnect loop");
      assert.ok(elapsedMs < 5_000, `nothing left to collect, so the 10 s window ended early (${elapsedMs} ms)`);
    } finally {
      await binance.close();
    }
  });

  it("Kucoin's 403 on the bullet call: the same, without a websocket ever opened", async () => {
    const kucoin = await refusingServer(403, '{"code":"403000","msg":"Unavailable to U.S. clients"}');
    try {
      const { error } = await collectAgainst({ MARKET_EXCHANGES: "kucoin", MARKET_KUCOIN_REST_URL: `http://${kucoin.url}` }, 10_000);
      assert.ok(error instanceof RegionRefusedError, String(error));
      assert.match(error.message, /^kucoin refused connections from region us-east-1: kucoin \(HTTP 403: .*Unavailable to U\.S\. clients/);
      assert.equal(kucoin.attempts(), 1);
    } finally {
      await kucoin.close();
    }
  });

  it("BitMEX refused while Binance streams: Binance's trades are still archived and enqueued, and the error names BitMEX alone", async () => {
    const bitmex = await refusingServer(451, "restricted jurisdiction");
    try {
      const { error, envelopes, elapsedMs } = await collectAgainst({ MARKET_EXCHANGES: "binance,bitmex", MARKET_BITMEX_WS_URL: `ws://${bitmex.url}` }, 1500);
      assert.ok(error instanceof RegionRefusedError, String(error));
      assert.deepEqual(error.refusals.map((r) => r.exchange), ["bitmex"]);
      assert.ok(envelopes.length > 0 && envelopes.every((e) => e.source === "binance"), "Binance's batches were shipped");
      assert.ok(elapsedMs >= 1500, "the window ran its length for the exchange that serves this location");
      assert.equal(bitmex.attempts(), 1);
    } finally {
      await bitmex.close();
    }
  });
});
