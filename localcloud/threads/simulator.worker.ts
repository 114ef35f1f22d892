// The demo's market simulator in its thread (startInThread): the exchanges are other machines.
import { workerData } from "node:worker_threads";
import { startMarketSimulator, type MarketSimulatorOptions } from "../market-sim/startMarketSimulator.ts";
import { servePart } from "./partThread.ts";

await servePart(() => startMarketSimulator(workerData as MarketSimulatorOptions), (s) => ({ port: s.port }));
