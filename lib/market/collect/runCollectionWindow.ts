import type { Archive } from "../../archive/Archive.ts";
import type { LogSink } from "../../log/LogSink.ts";
import type { MessageProducer } from "../../queue/MessageProducer.ts";
import { BatchShipper, type ShipperStats } from "./BatchShipper.ts";
import { binanceProtocol } from "../exchanges/binance/collect.ts";
import { bitmexProtocol } from "../exchanges/bitmex/collect.ts";
import type { CollectorConfig, CollectorExchange } from "./CollectorConfig.ts";
import type { ExchangeProtocol } from "../exchanges/ExchangeProtocol.ts";
import { RegionRefusedError } from "../exchanges/ExchangeRefusal.ts";
import { ExchangeSession, type SessionStats } from "./ExchangeSession.ts";
import { kucoinProtocol } from "../exchanges/kucoin/collect.ts";
import { SymbolBatcher } from "./SymbolBatcher.ts";
import type { StateStore } from "../../scraper/StateStore.ts";
import { completenessEnvelope, GapTracking, type ExchangeGapStats } from "./GapTracking.ts";
import { WindowHandoff } from "./WindowHandoff.ts";

export interface CollectorDeps {
  archive: Archive;
  producer: MessageProducer;
  queueUrl: () => Promise<string>;
  /** Where the gap ledgers are kept between windows (S3). Without it gaps are tracked within the window only. */
  state?: StateStore;
  logger?: LogSink;
}

/** Time kept after the REST phase for shipping what it fetched and saving the state. */
const AFTER_BACKFILL_MS = 1500;

export interface WindowOptions {
  /** Time left before the Lambda timeout (context.getRemainingTimeInMillis()). */
  remainingTimeMs: number;
  correlationId: string;
  /** Ends the window early (the batches collected so far are still flushed). */
  signal?: AbortSignal;
  /** Called once every session has started: tests use it to act mid-window. */
  onStarted?: () => void;
}

export interface CollectionStats {
  windowMs: number;
  elapsedMs: number;
  /** The window stopped reading early: the next one was live on every exchange (WindowHandoff.ts). */
  handedOff: boolean;
  exchanges: Record<string, SessionStats & { kucoinTokens?: number }>;
  shipped: ShipperStats;
  /** Times reading was paused because shipping fell more than maxPendingBatches behind, and for how long in all. */
  backpressure: { pauses: number; pausedMs: number; maxBacklogWhileReading: number };
  failures: Array<{ batchIds: string[]; error: string }>;
  /** Exchanges that refused this location (HTTP 451/403) and stopped trying. */
  refused: Array<{ exchange: string; status: number }>;
  /** Gaps found, filled, lost and pending per exchange (absent when MARKET_GAP_BACKFILL=false). */
  gaps?: Record<string, ExchangeGapStats>;
}

/** One invocation's work failed to ship some batches; the stats say which. */
export class CollectionError extends Error {
  override readonly name = "CollectionError";
  constructor(readonly stats: CollectionStats) {
    super(`${stats.shipped.failedBatches} batch(es) could not be archived and enqueued: ${stats.failures[0]?.error ?? "unknown"}`);
  }
}

/** How long this invocation collects: the configured window, cut short so the final flush fits before the timeout. */
export function windowLength(config: Pick<CollectorConfig, "windowMs" | "flushReserveMs">, remainingTimeMs: number): number {
  return Math.max(0, Math.min(config.windowMs, remainingTimeMs - config.flushReserveMs));
}

function protocolFor(exchange: CollectorExchange, config: CollectorConfig, onToken: () => void): ExchangeProtocol {
  switch (exchange) {
    case "binance":
      return binanceProtocol(config.urls.binance, config.symbols.binance, config.binanceMiniTicker, config.binanceBookTicker);
    case "kucoin":
      return kucoinProtocol(config.urls.kucoinRest, config.symbols.kucoin, config.kucoinTickerTopic, onToken);
    case "bitmex":
      return bitmexProtocol(config.urls.bitmex, config.symbols.bitmex);
  }
}

/**
 * One collection window: every configured exchange streams into per-symbol
 * batchers whose flushed batches are archived and enqueued as they close;
 * when the window ends (or the signal aborts) the sockets close, the
 * remaining buffers are flushed and everything is shipped before returning —
 * the seed's final flush, made to fit inside a Lambda invocation.
 */
export async function runCollectionWindow(config: CollectorConfig, deps: CollectorDeps, options: WindowOptions): Promise<CollectionStats> {
  const started = Date.now();
  const windowMs = windowLength(config, options.remainingTimeMs);
  const shipper = new BatchShipper(deps.archive, deps.producer, deps.queueUrl, {
    concurrency: config.shipConcurrency,
    correlationId: options.correlationId,
    onError: (error, batchIds) => deps.logger?.error("market batches not shipped", { batchIds, error: (error as Error).message }),
  });
  const gaps = config.gaps.enabled
    ? new GapTracking(config, { ...(deps.state ? { state: deps.state } : {}), ...(deps.logger ? { logger: deps.logger } : {}) }, (exchange, symbol, trades) => {
        for (let i = 0; i < trades.length; i += config.batching.maxMessages) {
          shipper.ship({ exchange, symbol, trades: trades.slice(i, i + config.batching.maxMessages), quotes: [], ticks: [], closedAt: new Date(), reason: "backfill" });
        }
      })
    : undefined;
  // The lease says until when this window may still ship: its window, the flush reserve and the REST phase.
  await gaps?.load(`${options.correlationId}@${started}`, started + Math.min(options.remainingTimeMs, windowMs + config.flushReserveMs + config.gaps.maxBackfillMs));
  const handoff = deps.state ? new WindowHandoff(deps.state, `${options.correlationId}@${started}`, started, config.exchanges, deps.logger) : undefined;
  let handedOff = false;
  const sessions: Array<{ exchange: CollectorExchange; session: ExchangeSession; batcher: SymbolBatcher; tokens: { n: number } }> = [];
  for (const exchange of config.exchanges) {
    const batcher = new SymbolBatcher(exchange, config.batching, (batch) => shipper.ship(batch));
    const tokens = { n: 0 };
    const connects = () => session.stats.connects;
    const session: ExchangeSession = new ExchangeSession(
      protocolFor(exchange, config, () => tokens.n++),
      new Set(config.symbols[exchange]),
      config.reconnect,
      (parsed) => {
        // Repeats (a resend after a reconnect, a trade an overlapping window shipped) are dropped here.
        for (const t of parsed.trades) {
          handoff?.read(exchange, t.symbol, t.ts);
          if (!gaps || gaps.admit(exchange, t, connects())) batcher.add(t, "trade");
        }
        for (const q of parsed.quotes) batcher.add(q, "quote");
        for (const k of parsed.ticks) batcher.add(k, "tick");
      },
      deps.logger,
    );
    sessions.push({ exchange, session, batcher, tokens });
  }

  const backpressure = { pauses: 0, pausedMs: 0, maxBacklogWhileReading: 0 };
  let pausedSince: number | undefined;
  const setPaused = (paused: boolean) => {
    if (paused === (pausedSince !== undefined)) return;
    if (paused) {
      pausedSince = Date.now();
      backpressure.pauses++;
    } else {
      backpressure.pausedMs += Date.now() - pausedSince!;
      pausedSince = undefined;
    }
    for (const s of sessions) s.session.setPaused(paused);
  };
  const watch = setInterval(() => {
    backpressure.maxBacklogWhileReading = Math.max(backpressure.maxBacklogWhileReading, shipper.backlog);
    if (shipper.backlog > config.maxPendingBatches) setPaused(true);
    else if (shipper.backlog <= config.maxPendingBatches / 2) setPaused(false);
  }, 20);

  if (windowMs > 0 && !options.signal?.aborted) {
    gaps?.startWindow(Date.now() + windowMs);
    for (const s of sessions) s.session.start();
    options.onStarted?.();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, windowMs);
      const done = () => {
        clearTimeout(timer);
        stopHandoff?.();
        resolve();
      };
      const stopHandoff = handoff?.start(windowMs, () => {
        handedOff = true;
        done();
      });
      options.signal?.addEventListener("abort", done, { once: true });
      // Sessions end by themselves only when refused: if every one did, nothing is left to wait for.
      void Promise.all(sessions.map((s) => s.session.ended())).then(done);
    });
  }
  clearInterval(watch);
  setPaused(false); // let what the kernel buffered be read before the sockets close
  await Promise.all(sessions.map((s) => s.session.stop()));
  for (const s of sessions) s.batcher.flushAll();
  let gapStats: Record<string, ExchangeGapStats> | undefined;
  if (gaps) {
    // The REST phase lives in the flush reserve: bounded, and cut short on an abort (the container is going away).
    const deadline = options.signal?.aborted ? 0 : Math.min(Date.now() + config.gaps.maxBackfillMs, started + options.remainingTimeMs - AFTER_BACKFILL_MS);
    if (options.signal?.aborted) gaps.abortRest();
    for (const s of sessions) if (s.session.refusal) gaps.skipRest(s.exchange, `refused: HTTP ${s.session.refusal.status} on connect`);
    const finished = await gaps.finish(deadline, `${options.correlationId}@${started}`, started, handedOff);
    gapStats = finished.stats;
    if (finished.reports.length > 0) {
      try {
        await deps.producer.send(await deps.queueUrl(), finished.reports.map((r) => completenessEnvelope(r, options.correlationId)));
      } catch (error) {
        deps.logger?.error("market completeness report not enqueued", { error: (error as Error).message });
      }
    }
  }
  await shipper.drain();

  for (const s of sessions) {
    if (windowMs > 0 && s.session.stats.connects === 0 && !s.session.refusal) {
      deps.logger?.warn("exchange unreachable for the whole window", { exchange: s.exchange, connectFailures: s.session.stats.connectFailures });
    }
  }
  const stats: CollectionStats = {
    windowMs,
    elapsedMs: Date.now() - started,
    handedOff,
    exchanges: Object.fromEntries(sessions.map((s) => [s.exchange, { ...s.session.stats, ...(s.exchange === "kucoin" ? { kucoinTokens: s.tokens.n } : {}) }])),
    shipped: { ...shipper.stats },
    backpressure,
    failures: shipper.failures,
    refused: sessions.flatMap((s) => (s.session.refusal ? [{ exchange: s.exchange, status: s.session.refusal.status }] : [])),
    ...(gapStats ? { gaps: gapStats } : {}),
  };
  if (stats.shipped.failedBatches > 0) throw new CollectionError(stats);
  // After the flush, so what the other exchanges delivered is shipped; one error for the invocation.
  const refusals = sessions.flatMap((s) => (s.session.refusal ? [s.session.refusal] : []));
  if (refusals.length > 0) throw new RegionRefusedError(refusals, config.region, stats);
  return stats;
}
