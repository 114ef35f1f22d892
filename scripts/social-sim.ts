// The local Jetstream simulator: Bluesky's Jetstream v1 protocol on loopback
// with a seeded stream of posts. Run `npm run social-sim -- --help`.
import { parseArgs } from "node:util";
import { runSimulatorCli, stopOnSignal, UsageError } from "./simulatorCli.ts";
import { startJetstreamSimulator } from "../localcloud/social-sim/startJetstreamSimulator.ts";

const USAGE = `usage: npm run social-sim -- [options]

  --port <n>          listen port (default $CRYPTOVIZ_JETSTREAM_PORT or 6008; 0 = any free port)
  --host <addr>       interface (default $CRYPTOVIZ_HOST or 127.0.0.1)
  --seed <s>          stream seed (default "cryptoviz"): same seed, same posts at the same offsets
  --rate <n>          events per second (default 50; about 80 % new posts); 2500 offers 2,000 posts/s
  --coin-share <x>    share of new posts written about a coin, 0–1 (default 0.2)
  --history <seconds> how far back a cursor can replay (default 3600)
  --stats <seconds>   print counters every N seconds (default 10; 0 = never)

Point the collector at it (printed at start):
  SOCIAL_JETSTREAM_URL=ws://127.0.0.1:6008`;


function number(flag: string, raw: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${flag} must be a number in [${min}, ${max}], got "${raw}"`);
  return n;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      seed: { type: "string", default: "cryptoviz" },
      rate: { type: "string" },
      "coin-share": { type: "string" },
      history: { type: "string" },
      stats: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const sim = await startJetstreamSimulator({
    host: values.host ?? process.env.CRYPTOVIZ_HOST ?? "127.0.0.1",
    port: number("port", values.port ?? process.env.CRYPTOVIZ_JETSTREAM_PORT, 6008, 0, 65535),
    seed: values.seed,
    rate: number("rate", values.rate, 50, 0.001, 200_000),
    coinShare: number("coin-share", values["coin-share"], 0.2, 0, 1),
    historySeconds: number("history", values.history, 3600, 0, 7 * 86400),
  });
  console.log(`jetstream simulator on port ${sim.port} (seed ${values.seed})`);
  console.log(`  SOCIAL_JETSTREAM_URL=${sim.url}`);
  const every = number("stats", values.stats, 10);
  let last = sim.stats();
  const timer = every > 0
    ? setInterval(() => {
        const s = sim.stats();
        console.log(`${new Date().toISOString()} ${s.open} open, ${Math.round((s.eventsSent - last.eventsSent) / every)} events/s, ${Math.round((s.postsSent - last.postsSent) / every)} posts/s sent`);
        last = s;
      }, every * 1000)
    : undefined;
  stopOnSignal(sim, timer);
}

runSimulatorCli("social-sim", USAGE, "CRYPTOVIZ_JETSTREAM_PORT", () => main(process.argv.slice(2)));
