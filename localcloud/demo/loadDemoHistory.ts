// `npm run demo`'s history: the last 24 hours of every collected exchange and symbol,
// read from the market simulator's klines endpoints and written as candles of every
// timeframe (the same path as `npm run backfill`), so the charts have history from
// the first minute. Runs beside the starting stack: it needs the search endpoint and
// the simulator, holds no port, and the start does not wait for it.
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { ConfigError } from "../../lib/config/ConfigError.ts";
import { envString } from "../../lib/config/readEnv.ts";
import { backfillCandles, type BackfillSummary } from "../../lib/market/history/backfillCandles.ts";
import { KLINE_SOURCES } from "../../lib/market/history/klineSources.ts";
import type { KlineSource } from "../../lib/market/history/KlineSource.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";

type Exchange = KlineSource["exchange"];

export interface DemoStream {
  exchange: Exchange;
  symbol: string;
}

// What collect-market collects in the demo: serverless.yml's defaults of the same settings.
const DEFAULTS = {
  MARKET_EXCHANGES: "binance,kucoin,bitmex",
  MARKET_BINANCE_SYMBOLS: "BTCUSDT,ETHUSDT,SOLUSDT",
  MARKET_KUCOIN_SYMBOLS: "BTC-USDT,ETH-USDT,SOL-USDT",
  MARKET_BITMEX_SYMBOLS: "XBTUSD,ETHUSD",
} as const;

const list = (env: Record<string, string | undefined>, name: keyof typeof DEFAULTS) =>
  envString(env, name, DEFAULTS[name]).split(",").map((s) => s.trim()).filter(Boolean);

/** The exchange+symbol streams the demo's collector reads (MARKET_EXCHANGES, MARKET_<EXCHANGE>_SYMBOLS). */
export function demoStreams(env: Record<string, string | undefined> = process.env): DemoStream[] {
  return list(env, "MARKET_EXCHANGES").flatMap((exchange) => {
    if (!(exchange in KLINE_SOURCES)) throw new ConfigError("MARKET_EXCHANGES", `unknown exchange "${exchange}" (binance, kucoin, bitmex)`);
    const name = `MARKET_${exchange.toUpperCase()}_SYMBOLS` as keyof typeof DEFAULTS;
    return list(env, name).map((symbol) => ({ exchange: exchange as Exchange, symbol }));
  });
}

export interface DemoHistoryOptions {
  store: StoreContext;
  /** The simulator's origin, e.g. http://127.0.0.1:8765 (its routes are /<exchange>/…). */
  simulatorUrl: string;
  streams: DemoStream[];
  hours?: number;
  /** Start here instead of `hours` back. */
  fromMs?: number;
  now?: () => number;
  /** Fill only minutes with no candle (the top-ups: they never touch what the collector stored). */
  onlyMissing?: boolean;
}

/** Loads the history; exchanges in parallel, each exchange's symbols one after another. */
export async function loadDemoHistory(o: DemoHistoryOptions): Promise<BackfillSummary[]> {
  await ensureTemplates(o.store.client, o.store.config);
  const now = (o.now ?? Date.now)();
  const from = o.fromMs ?? now - (o.hours ?? 24) * 3_600_000;
  const byExchange = new Map<Exchange, string[]>();
  for (const s of o.streams) byExchange.set(s.exchange, [...(byExchange.get(s.exchange) ?? []), s.symbol]);
  const runs = [...byExchange].map(async ([exchange, symbols]) => {
    const out: BackfillSummary[] = [];
    for (const symbol of symbols) {
      out.push(
        await backfillCandles({
          source: KLINE_SOURCES[exchange], baseUrl: `${o.simulatorUrl}/${exchange}`, symbol, from, to: now, store: o.store,
          // The simulator is on this machine and publishes no limits.
          minIntervalMs: 0, now: () => now, onlyMissing: o.onlyMissing,
        }),
      );
    }
    return out;
  });
  return (await Promise.all(runs)).flat();
}

export interface DemoHistoryRun {
  /** Resolves once the last top-up ran (or stop() was called). */
  done: Promise<void>;
  stop(): void;
}

/** Top-ups after the first load: the minutes between its end and the first collection window. */
const TOP_UP_EVERY_MS = 30_000;
const TOP_UP_FOR_MS = 5 * 60_000;

/**
 * The launcher's call: the last 24 hours at once, then, every 30 s for 5 minutes,
 * the minutes since (the collector's first window starts a minute or two after the
 * simulator: those minutes come from the klines, so history meets the live candles;
 * a minute the collector stored anything for is left as it is). Its own client on the local search
 * endpoint, closed at the end; progress and failures go to `print`.
 */
export function startDemoHistory(searchUrl: string, simulatorUrl: string, print: { info(line: string): void; error(line: string): void }, env: Record<string, string | undefined> = process.env): DemoHistoryRun {
  const config = readStoreConfig({ ...env, SEARCH_URL: searchUrl, SEARCH_AUTH: "none" });
  const client = createSearchClient(config);
  const store = createStoreContext(client, config);
  let stopped = false;
  let wake: () => void = () => {};
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const run = async () => {
    const started = Date.now();
    const streams = demoStreams(env);
    const historyEnd = Date.now();
    const first = await loadDemoHistory({ store, simulatorUrl, streams, now: () => historyEnd });
    const sum = (done: BackfillSummary[], f: (s: BackfillSummary) => number) => done.reduce((n, s) => n + f(s), 0);
    print.info(
      `demo history: the last 24 h of ${streams.length} streams from the simulator's klines in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
        `${sum(first, (s) => s.written)} 1m candles written (${sum(first, (s) => s.unchanged)} already there), ${sum(first, (s) => s.derivedWritten)} candles of 5m … 1w and all exchanges`,
    );
    let failed = sum(first, (s) => s.failed);
    let topped = 0;
    for (let since = Date.now(); !stopped && Date.now() - since < TOP_UP_FOR_MS; ) {
      await pause(TOP_UP_EVERY_MS);
      if (stopped) break;
      // Only the minutes since the history's end that nothing filled: the store's work stays a few minutes' worth.
      const more = await loadDemoHistory({ store, simulatorUrl, streams, fromMs: historyEnd - 60_000, onlyMissing: true });
      topped += sum(more, (s) => s.written);
      failed += sum(more, (s) => s.failed);
    }
    if (topped > 0) print.info(`demo history: ${topped} 1m candles between the history and the first collection windows filled from the klines`);
    if (failed > 0) print.error(`demo history: ${failed} candles not stored (see the search endpoint's answer in the log)`);
  };
  const done = run()
    .catch((error: unknown) => print.error(`demo history not loaded: ${(error as Error).message}`))
    .finally(() => client.close());
  return {
    done,
    stop() {
      stopped = true;
      wake();
    },
  };
}
