// The local market simulator: Binance, Kucoin and Bitmex protocols on loopback
// with a seeded market. Run `npm run market-sim -- --help`.
import { parseArgs } from "node:util";
import { runSimulatorCli, stopOnSignal, UsageError } from "./simulatorCli.ts";
import { startMarketSimulator } from "../localcloud/market-sim/startMarketSimulator.ts";

const USAGE = `usage: npm run market-sim -- [options]

  --port <n>          listen port (default $CRYPTOVIZ_MARKET_SIM_PORT or 8765; 0 = any free port)
  --host <addr>       interface (default $CRYPTOVIZ_HOST or 127.0.0.1)
  --seed <s>          market seed (default "cryptoviz"): same seed, same prices, sizes and sides
  --symbols <list>    BASE-QUOTE pairs (default BTC-USDT,ETH-USDT,SOL-USDT,BTC-USD,ETH-USD)
  --rate <n>          trades per second per exchange+symbol stream with subscribers (default 20)
  --quotes <n>        quote updates per second per stream (default 5)
  --run-id <n>        offsets trade ids so a restart does not reuse them (default: seconds since the epoch mod 9e6)
  --stats <seconds>   print counters every N seconds (default 10; 0 = never)

Point the collector at it (these lines are printed at start):
  MARKET_BINANCE_WS_URL=ws://127.0.0.1:8765/binance
  MARKET_KUCOIN_REST_URL=http://127.0.0.1:8765/kucoin
  MARKET_BITMEX_WS_URL=ws://127.0.0.1:8765/bitmex
  MARKET_BINANCE_REST_URL=http://127.0.0.1:8765/binance
  MARKET_BITMEX_REST_URL=http://127.0.0.1:8765/bitmex`;


function number(flag: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${flag} must be a number >= ${min}, got "${raw}"`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      seed: { type: "string", default: "cryptoviz" },
      symbols: { type: "string", default: "BTC-USDT,ETH-USDT,SOL-USDT,BTC-USD,ETH-USD" },
      rate: { type: "string" },
      quotes: { type: "string" },
      "run-id": { type: "string" },
      stats: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const symbols = values.symbols.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean);
  const bad = symbols.find((s) => !/^[A-Z0-9]{1,20}-[A-Z0-9]{1,20}$/.test(s));
  if (bad || symbols.length === 0) throw new UsageError(`--symbols must list BASE-QUOTE pairs such as BTC-USDT, got "${bad ?? ""}"`);
  const sim = await startMarketSimulator({
    host: values.host ?? process.env.CRYPTOVIZ_HOST ?? "127.0.0.1",
    port: number("port", values.port ?? process.env.CRYPTOVIZ_MARKET_SIM_PORT, 8765),
    seed: values.seed,
    symbols,
    tradesPerSecond: number("rate", values.rate, 20),
    quotesPerSecond: number("quotes", values.quotes, 5),
    ...(values["run-id"] !== undefined ? { runId: number("run-id", values["run-id"], 0) } : {}),
  });
  console.log(`market simulator on port ${sim.port} (seed ${values.seed}, ${symbols.join(" ")})`);
  console.log(`  MARKET_BINANCE_WS_URL=${sim.urls.binance}`);
  console.log(`  MARKET_KUCOIN_REST_URL=${sim.urls.kucoinRest}`);
  console.log(`  MARKET_BITMEX_WS_URL=${sim.urls.bitmex}`);
  console.log(`  MARKET_BINANCE_REST_URL=${sim.urls.binanceRest}`);
  console.log(`  MARKET_BITMEX_REST_URL=${sim.urls.bitmexRest}`);
  const every = number("stats", values.stats, 10);
  const timer = every > 0
    ? setInterval(() => {
        const s = sim.stats();
        const line = Object.entries(s.exchanges)
          .map(([e, c]) => `${e}: ${c.connections} conn, ${c.tradesSent} trades, ${c.quotesSent} quotes, ${s.rest[e as keyof typeof s.rest].answered} REST`)
          .join(" | ");
        console.log(`${new Date().toISOString()} ${line}`);
      }, every * 1000)
    : undefined;
  stopOnSignal(sim, timer);
}

runSimulatorCli("market-sim", USAGE, "CRYPTOVIZ_MARKET_SIM_PORT", () => main(process.argv.slice(2)));
