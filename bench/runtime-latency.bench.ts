// `npm run bench -- runtime-latency [--rate=2500] [--minutes=3] [--quick]`
//
// Trade → `notify/data` latency through the runtime users run: `npm run demo`'s own
// path (the launcher, serverless offline, collect-market and consume-prices in local
// Lambda containers, the event source mapping, the market simulator) on free ports and
// a data directory of its own, at `--rate` trades/s per stream (8 streams: 2,500 → 20,000
// trades/s). A subscriber on the broker reads every price-feed `notify/data`; for each
// exchange and symbol, a message whose 1m candle closes later than the last one covered
// the trades in between (the simulator makes trades at a steady rate, so they are spread
// evenly over that span): each such trade's latency is the message's arrival minus its
// exchange time. Printed: p50/p95 per minute (with the p95 of each 10 s) and overall, the
// candle conflicts and duplicate trades per minute and the consumer's store time per
// invocation (from its log lines), the machine's load average at each minute, and the
// launcher's lines on the demo's history load.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import mqtt from "mqtt";
import type { PriceFeedData } from "../contracts/api.ts";
import { priceFeedFilter } from "../contracts/topics.ts";
import { freePorts } from "../test/helpers/freePorts.ts";
import { startLauncher } from "../test/helpers/launcher.ts";
import { localCloudEnv } from "../test/helpers/localCloudEnv.ts";
import { sleep, waitFor } from "../test/helpers/waitFor.ts";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { rate: { type: "string", default: "2500" }, minutes: { type: "string", default: "3" }, quick: { type: "boolean", default: false } },
});
const rate = Number(values.rate);
const minutes = values.quick ? 1 : Number(values.minutes);
const STREAMS = 8;
const STEP_MS = 5;

const setup = await localCloudEnv();
const [simPort] = (await freePorts(1)) as [number];
const env = { CRYPTOVIZ_DEMO_RATE: String(rate), CRYPTOVIZ_MARKET_SIM_PORT: String(simPort), CRYPTOVIZ_LOG_LEVEL: "INFO" };
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
console.log(`runtime latency: npm run demo at ${rate} trades/s per stream (${rate * STREAMS} trades/s offered) for ${minutes} min after the first notification; load ${load()}`);
const t0 = Date.now();
const launcher = await startLauncher(setup, ["start", "--demo"], env, 180_000);
console.log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

/** Latency samples (ms), one per STEP_MS of covered trade time, with their arrival time. */
const samples: Array<{ at: number; ms: number }> = [];
const covered = new Map<string, number>();
let messages = 0;
const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${setup.ports.mqtt}`, { protocolVersion: 4, username: "dashboard", password: "local-dashboard-secret", reconnectPeriod: 1000 });
subscriber.on("message", (_topic, payload) => {
  const at = Date.now();
  messages++;
  const data = JSON.parse(payload.toString()) as PriceFeedData;
  for (const c of data.candles) {
    if (c.timeframe !== "1m" || c.exchange === "all" || c.closeTime === undefined) continue;
    const key = `${c.exchange}|${c.symbol}`;
    const before = covered.get(key);
    if (before === undefined || c.closeTime <= before) {
      if (before === undefined) covered.set(key, c.closeTime); // the first one only sets the mark
      continue;
    }
    covered.set(key, c.closeTime);
    // Trades from just after the last mark up to this close (a gap of minutes would be a collection gap: bounded).
    for (let t = c.closeTime; t > before && t > c.closeTime - 60_000; t -= STEP_MS) samples.push({ at, ms: at - t });
  }
});
await subscriber.subscribeAsync(priceFeedFilter(undefined, "data"));

const pct = (xs: number[], p: number) => (xs.length === 0 ? NaN : xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!);
const summary = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${Math.round(pct(s, 50))} ms, p95 ${Math.round(pct(s, 95))} ms, max ${Math.round(s[s.length - 1] ?? NaN)} ms`;
};

/** The streams the demo collects (serverless.yml's defaults), the only ones its simulator lists. */
const COLLECTED = ["binance:BTCUSDT", "binance:ETHUSDT", "binance:SOLUSDT", "kucoin:BTC-USDT", "kucoin:ETH-USDT", "kucoin:SOL-USDT", "bitmex:XBTUSD", "bitmex:ETHUSD"];
/** What the simulator has made so far on the collected streams: the rate offered is measured, not assumed (a starved simulator skips ahead). */
const simMade = async (): Promise<number> => {
  const health = (await (await fetch(`http://127.0.0.1:${simPort}/health`)).json()) as { stats: { tradesGeneratedBy: Record<string, number> } };
  return COLLECTED.reduce((n, key) => n + (health.stats.tradesGeneratedBy[key] ?? 0), 0);
};
/** The consumer's log lines so far: store time and candle write conflicts between concurrent invocations. */
const consumerLog = () => {
  const lines = readFileSync(join(setup.dataDir, "logs", "cryptoviz.log"), "utf8").split("\n").filter((l) => l.includes("market batch stored"));
  const field = (l: string, name: string) => Number(new RegExp(`"?${name}"?[=:](\\d+(\\.\\d+)?)`).exec(l)?.[1]);
  return {
    storeMs: lines.map((l) => field(l, "elapsedMs")).filter(Number.isFinite),
    conflicts: lines.map((l) => field(l, "candleConflicts")).filter(Number.isFinite).reduce((a, b) => a + b, 0),
    // Trades stored already: resends, and the seconds two collection windows overlap.
    duplicates: lines.map((l) => field(l, "tradesDuplicate")).filter(Number.isFinite).reduce((a, b) => a + b, 0),
  };
};

await waitFor("the first price notification", () => samples.length > 0, 180_000, 200);
const start = Date.now();
console.log(`first covered trade ${((start - t0) / 1000).toFixed(0)} s after the start; measuring ${minutes} min`);
let madeBefore = await simMade();
let { conflicts: conflictsBefore, duplicates: duplicatesBefore } = consumerLog();
for (let m = 1; m <= minutes; m++) {
  await sleep(60_000);
  const window = samples.filter((s) => s.at >= start + (m - 1) * 60_000 && s.at < start + m * 60_000).map((s) => s.ms);
  const made = await simMade();
  const { conflicts, duplicates } = consumerLog();
  // A stall shows as one bad 10 s in an otherwise good minute: say which.
  const tens = Array.from({ length: 6 }, (_, k) => samples.filter((s) => s.at >= start + (m - 1) * 60_000 + k * 10_000 && s.at < start + (m - 1) * 60_000 + (k + 1) * 10_000).map((s) => s.ms).sort((a, b) => a - b));
  const p95s = tens.map((xs) => Math.round(pct(xs, 95)));
  console.log(
    `  minute ${m}: ${summary(window)} (${window.length} samples, ${messages} messages so far); p95 of each 10 s ${p95s.join(", ")}; ` +
      `collected streams made ${Math.round((made - madeBefore) / 60)} trades/s; ${conflicts - conflictsBefore} candle conflicts; ${duplicates - duplicatesBefore} duplicate trades; load ${load()}`,
  );
  madeBefore = made;
  conflictsBefore = conflicts;
  duplicatesBefore = duplicates;
}
// When the demo's history load ran, and for how long: it shares the first minutes with the live stream.
for (const line of launcher.output().split("\n")) if (line.includes("demo history")) console.log(`launcher: ${line.trim()}`);
const measured = samples.filter((s) => s.at >= start).map((s) => s.ms);
console.log(`trade → notify/data through npm run demo at ${rate * STREAMS} trades/s: ${summary(measured)} (target p95 ≤ 1500 ms)`);

// The consumer's own time per invocation, from its log lines.
const stored = consumerLog().storeMs;
if (stored.length > 0) console.log(`consume-prices store time per invocation: ${summary(stored)} over ${stored.length} invocations`);
await subscriber.endAsync();
await launcher.stop(60_000);
console.log(`stopped; load ${load()}`);
