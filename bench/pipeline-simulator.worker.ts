// The pipeline benchmark's market simulator in its own thread. The exchanges are
// other machines: sharing the collector's event loop with them would charge the
// simulator's work (generating and writing tens of thousands of frames a second)
// to the collector.
import { parentPort, workerData } from "node:worker_threads";
import type { SimExchange } from "../localcloud/market-sim/exchangeSymbols.ts";
import { startMarketSimulator } from "../localcloud/market-sim/startMarketSimulator.ts";

/** The benchmark terminates the thread when done (see pipeline.bench.ts); `stop` ends trading so the count made is final. */
export type SimulatorRequest = { type: "sent"; exchange: SimExchange } | { type: "stop" };
export type SimulatorReply =
  | { type: "ready"; urls: { binance: string; binanceRest: string; kucoinRest: string; bitmex: string; bitmexRest: string } }
  | { type: "sent"; tradesSent: number; tradesMade: number };

const sim = await startMarketSimulator(workerData as Parameters<typeof startMarketSimulator>[0]);
const port = parentPort!;
port.postMessage({ type: "ready", urls: sim.urls } satisfies SimulatorReply);
port.on("message", (m: SimulatorRequest) => {
  if (m.type === "stop") return sim.stopTrading();
  const stats = sim.stats();
  const made = Object.entries(stats.tradesGeneratedBy).filter(([key]) => key.startsWith(`${m.exchange}:`)).reduce((n, [, v]) => n + v, 0);
  port.postMessage({ type: "sent", tradesSent: stats.exchanges[m.exchange].tradesSent, tradesMade: made } satisfies SimulatorReply);
});
