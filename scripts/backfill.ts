// History for operators: an exchange's 1-minute klines over a range, written as
// candles of every timeframe. Run `npm run backfill -- --help`.
import { parseArgs } from "node:util";
import { z } from "zod";
import { createSearchClient } from "../lib/adapters/opensearch/createSearchClient.ts";
import { ConfigError } from "../lib/config/ConfigError.ts";
import { envOptionalUrl } from "../lib/config/readEnv.ts";
import { backfillCandles } from "../lib/market/history/backfillCandles.ts";
import { KLINE_SOURCES, REST_URL_SETTING } from "../lib/market/history/klineSources.ts";
import { ensureTemplates } from "../lib/store/ensureTemplates.ts";
import { createStoreContext } from "../lib/store/StoreContext.ts";
import { readStoreConfig } from "../lib/store/StoreConfig.ts";

const USAGE = `usage: npm run backfill -- --exchange <binance|kucoin|bitmex> --symbol <SYM> --from <ISO time> --to <ISO time> [options]

Reads the exchange's 1-minute klines over [from, to) (closed minutes only) and
writes them as that exchange's 1m candles, then every candle above them (5m … 1w,
and the all-exchange view) recomputed from the stored 1m candles. Idempotent: run
it twice, the second run writes nothing. A minute whose stored trades hold at least
the kline's volume keeps the candle computed from them.

  --exchange <name>   binance, kucoin or bitmex
  --symbol <SYM>      the exchange's own symbol: BTCUSDT (binance), BTC-USDT (kucoin), XBTUSD (bitmex)
  --from <time>       e.g. 2026-11-21T00:00Z (inclusive)
  --to <time>         e.g. 2026-11-22T00:00Z (exclusive; at most 31 days after --from)
  --rest-url <url>    the exchange's REST base (default: $MARKET_<EXCHANGE>_REST_URL, else the real one,
                      e.g. http://127.0.0.1:8765/binance for the local simulator)
  --json              one JSON summary on stdout instead of the progress lines

Writes to the search endpoint of SEARCH_URL (default http://127.0.0.1:$CRYPTOVIZ_SEARCH_PORT or 9200;
SEARCH_AUTH etc. as in docs/store.md). Requests are paced within each exchange's published limits
(Binance 80 ms apart, Kucoin 200 ms, Bitmex 2.1 s) and wait out a 429/418.`;

const MAX_SPAN_MS = 31 * 86_400_000;

const iso = (field: string) =>
  z
    .string({ error: `--${field} is required` })
    .regex(/^\d{4}-\d{2}-\d{2}T/, `--${field} must be an ISO time such as 2026-11-22T09:00Z`)
    .transform((s, ctx) => {
      const ms = Date.parse(s);
      if (!Number.isFinite(ms)) ctx.addIssue({ code: "custom", message: `--${field} is not a valid time: ${s}` });
      return ms;
    });

const argsSchema = z
  .object({
    exchange: z.enum(["binance", "kucoin", "bitmex"], { error: "--exchange must be binance, kucoin or bitmex" }),
    symbol: z.string({ error: "--symbol is required" }).regex(/^[A-Za-z0-9]{1,20}(-[A-Za-z0-9]{1,20})?$/, "--symbol must be the exchange's symbol, such as BTCUSDT, BTC-USDT or XBTUSD"),
    from: iso("from"),
    to: iso("to"),
    "rest-url": z.url({ protocol: /^https?$/, error: "--rest-url must be an http(s) URL" }).optional(),
    json: z.boolean(),
  })
  .superRefine((a, ctx) => {
    if (a.from >= a.to) ctx.addIssue({ code: "custom", path: ["from"], message: "--from must be before --to" });
    else if (a.to - a.from > MAX_SPAN_MS) ctx.addIssue({ code: "custom", path: ["to"], message: "--to must be at most 31 days after --from (run it again for the next range)" });
    if (a.from > Date.now()) ctx.addIssue({ code: "custom", path: ["from"], message: "--from is in the future" });
  });

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      exchange: { type: "string" },
      symbol: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      "rest-url": { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("\n"));
  const args = parsed.data;
  const source = KLINE_SOURCES[args.exchange];
  const baseUrl = (args["rest-url"] ?? envOptionalUrl(process.env, REST_URL_SETTING[args.exchange]) ?? source.defaultBaseUrl).replace(/\/$/, "");

  const searchPort = process.env.CRYPTOVIZ_SEARCH_PORT ?? "9200";
  const config = readStoreConfig({ SEARCH_URL: `http://127.0.0.1:${searchPort}`, ...process.env });
  const client = createSearchClient(config);
  const store = createStoreContext(client, config);
  try {
    await ensureTemplates(client, config);
    if (!args.json) console.log(`backfill ${args.exchange} ${args.symbol} ${new Date(args.from).toISOString()} → ${new Date(args.to).toISOString()} from ${baseUrl} into ${config.endpoint}`);
    const summary = await backfillCandles({
      source, baseUrl, symbol: args.symbol, from: args.from, to: args.to, store,
      onPage: args.json ? undefined : (p) =>
        console.log(`  ${new Date(p.from).toISOString()} … ${new Date(p.to).toISOString()}: ${p.klines} klines, ${p.written} 1m candles written, ${p.unchanged} unchanged, ${p.kept} kept (from trades), ${p.derivedWritten} candles above 1m written`),
    });
    if (args.json) console.log(JSON.stringify(summary));
    else {
      console.log(
        `wrote ${summary.written} 1m candles of ${summary.exchange} ${summary.symbol} (as ${summary.storeSymbol}) and ${summary.derivedWritten} candles of 5m … 1w and all exchanges; ` +
          `${summary.unchanged} already stored, ${summary.kept} kept (trades), ${summary.failed} failed; ${summary.klines} klines in ${summary.requests} requests, ${(summary.ms / 1000).toFixed(1)} s`,
      );
    }
    if (summary.failed > 0) {
      console.error(`backfill: ${summary.failed} candles not stored, e.g. ${summary.firstFailure}`);
      process.exitCode = 1;
    }
  } finally {
    await client.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const code = String((error as { code?: unknown }).code ?? "");
  if (error instanceof UsageError || error instanceof ConfigError || code.startsWith("ERR_PARSE_ARGS")) {
    console.error(`backfill: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error(`backfill: ${(error as Error).message}`);
  process.exit(1);
});
