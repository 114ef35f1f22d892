import { MARKET_COMPLETENESS_SCHEMA, type GapNotification, type MarketCompleteness } from "../../../contracts/completeness.ts";
import type { Envelope } from "../../../contracts/envelope.ts";
import { sha256Hex } from "../../../contracts/hash.ts";
import type { Trade } from "../../../contracts/market.ts";
import type { LogSink } from "../../log/LogSink.ts";
import type { StateStore } from "../../scraper/StateStore.ts";
import { Backfiller, type GapEvent } from "../backfill/Backfiller.ts";
import { TokenBucket } from "../backfill/TokenBucket.ts";
import type { TradeHistorySource } from "../backfill/TradeHistorySource.ts";
import { binanceTradeHistory } from "../exchanges/binance/rest.ts";
import { bitmexTradeHistory } from "../exchanges/bitmex/rest.ts";
import { kucoinTradeHistory } from "../exchanges/kucoin/rest.ts";
import { normaliseSymbol } from "../../../contracts/symbols.ts";
import { GapLedger } from "../gaps/GapLedger.ts";
import { loadGapState, readWindowLease, saveGapState, writeWindowLease } from "../gaps/gapState.ts";
import { HourlyCounts } from "../gaps/HourlyCounts.ts";
import type { CollectorConfig, CollectorExchange } from "./CollectorConfig.ts";

/** One exchange's gaps in one window. */
export interface ExchangeGapStats {
  /** Gaps opened in this window (by id on the socket, at the window's end, or a new window for BitMEX). */
  found: number;
  /** Trade ids those gaps span (exchanges with trade ids). */
  foundTrades: number;
  /** Trades fetched over REST and shipped. */
  filled: number;
  /** Ids beyond what REST reaches: known, unrecoverable. */
  lost: number;
  /** Ids inside an answered range that are not trades. */
  absent: number;
  /** Still open at the end of the window (kept in S3, retried next window). */
  pendingGaps: number;
  pendingTrades: number;
  /** Trades read again (a resend after a reconnect, an overlapping window): not shipped twice. */
  repeats: number;
  restCalls: number;
  stoppedBy?: string;
  stateError?: string;
}

const SOURCES: Readonly<Record<CollectorExchange, (config: CollectorConfig) => TradeHistorySource>> = {
  binance: (c) => binanceTradeHistory(c.urls.binanceRest),
  kucoin: (c) => kucoinTradeHistory(c.urls.kucoinRest),
  bitmex: (c) => bitmexTradeHistory(c.urls.bitmexRest),
};

const MAX_EVENTS = 1000;
/** How long after its lease's end an overlapping earlier window's saved state is read again. */
const PREDECESSOR_MARGIN_MS = 1000;
const DIGITS = /^\d{1,30}$/;

interface PerExchange {
  exchange: CollectorExchange;
  mode: "ids" | "time";
  ledgers: Map<string, GapLedger>;
  filler: Backfiller;
  hourly: HourlyCounts;
  stats: ExchangeGapStats;
  /** Connection count at each symbol's last trade: a change means the socket reconnected in between. */
  connects: Map<string, number>;
  /** Symbols whose stream resumed (reconnect, new window) and has not yet delivered a trade newer than the last shipped. */
  resuming: Set<string>;
  /** Symbols that delivered a trade in this window. */
  observed: Set<string>;
  /** Until when an earlier, overlapping window may still ship and save (its lease), if one is running. */
  predecessorUntil: number | undefined;
  chain: Promise<void>;
  scheduled: boolean;
  /** The state could not be read: do not overwrite it. */
  loadFailed: boolean;
}

/**
 * A window's gap tracking: every live trade passes `admit` (repeats dropped, gaps
 * opened), gaps are filled over REST soon after they open and once more after
 * the window (the exchange's latest id first, so trades left unread when the
 * socket closed are found too), the ledgers are kept in S3 across windows, and
 * each exchange's per-hour counts and gap events become a completeness report.
 */
export class GapTracking {
  private readonly exchanges = new Map<CollectorExchange, PerExchange>();
  private readonly events: GapNotification[] = [];
  private eventsDropped = 0;
  private readonly abort = new AbortController();
  private windowDeadline = Number.POSITIVE_INFINITY;
  private reconcileTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: CollectorConfig,
    private readonly deps: { state?: StateStore; logger?: LogSink },
    /** Hands backfilled trades of one symbol to the shipper (archived and enqueued like live ones). */
    private readonly ship: (exchange: CollectorExchange, symbol: string, trades: Trade[]) => void,
  ) {
    for (const exchange of config.exchanges) {
      const source = SOURCES[exchange](config);
      const hourly = new HourlyCounts();
      const stats: ExchangeGapStats = { found: 0, foundTrades: 0, filled: 0, lost: 0, absent: 0, pendingGaps: 0, pendingTrades: 0, repeats: 0, restCalls: 0 };
      const filler = new Backfiller(
        source,
        new TokenBucket(config.gaps.restLimits[exchange]),
        (symbol, trades) => {
          for (const t of trades) hourly.trade(symbol, t.ts, source.mode === "ids" ? BigInt(t.tradeId) : undefined, "backfilled");
          this.ship(exchange, symbol, trades);
        },
        (event) => this.record(exchange, event),
        deps.logger,
      );
      this.exchanges.set(exchange, {
        exchange, mode: source.mode, ledgers: new Map(), filler, hourly, stats, connects: new Map(), resuming: new Set(), observed: new Set(), predecessorUntil: undefined, chain: Promise.resolve(), scheduled: false, loadFailed: false,
      });
    }
  }

  /**
   * Reads the ledgers the previous windows left, and the last window's lease: if it may still
   * be shipping (windows overlap), what happened since the saved state is not a gap until it
   * has saved. Then leaves this window's lease (`windowId`, shipping until `until`).
   * A state that cannot be read is logged and left alone (not overwritten).
   */
  async load(windowId: string, until: number): Promise<void> {
    const { state } = this.deps;
    if (!state) return;
    await Promise.all(
      [...this.exchanges.values()].map(async (e) => {
        try {
          const lease = await readWindowLease(state, e.exchange).catch(() => undefined);
          if (lease && lease.windowId !== windowId && lease.until > Date.now()) e.predecessorUntil = lease.until;
          await writeWindowLease(state, e.exchange, { windowId, until });
          for (const [symbol, ledger] of await loadGapState(state, e.exchange)) e.ledgers.set(symbol, ledger);
        } catch (error) {
          e.loadFailed = true;
          e.stats.stateError = (error as Error).message;
          this.deps.logger?.error("market gap state not read; gaps are tracked from this window on and the state is left as it is", { exchange: e.exchange, error: (error as Error).message });
        }
      }),
    );
  }

  /**
   * Gaps found while the window runs are fetched before `endsAt`; the rest after the window.
   * Holes against the saved state (what happened since the last window saved) wait until an
   * overlapping earlier window has had time to finish and save (its flush reserve and a few
   * seconds): then the state is read again, joined, and what is still missing is a real gap.
   */
  startWindow(endsAt: number): void {
    this.windowDeadline = endsAt;
    const until = Math.max(0, ...[...this.exchanges.values()].map((e) => e.predecessorUntil ?? 0));
    if (!this.deps.state || until === 0) return;
    const at = until + PREDECESSOR_MARGIN_MS;
    if (at >= endsAt) return; // finish() does it
    this.reconcileTimer = setTimeout(() => {
      for (const e of this.exchanges.values()) {
        e.chain = e.chain
          .then(async () => {
            await this.joinSaved(e);
            this.confirmProvisional(e);
            await this.fillAll(e, this.windowDeadline);
          })
          .catch((error: unknown) => this.deps.logger?.error("market backfill failed", { exchange: e.exchange, error: (error as Error).message }));
      }
    }, at - Date.now());
  }

  /** Joins the ledgers with the state as saved now (an overlapping window may have saved since this one read it). */
  private async joinSaved(e: PerExchange): Promise<void> {
    const { state } = this.deps;
    if (!state || e.loadFailed) return;
    try {
      for (const [symbol, saved] of await loadGapState(state, e.exchange)) this.ledger(e, symbol).join(saved);
    } catch (error) {
      e.loadFailed = true;
      e.stats.stateError = (error as Error).message;
    }
  }

  /** What is left of the provisional holes after the join is a real gap: reported, and fetched from now on. */
  private confirmProvisional(e: PerExchange): void {
    for (const [symbol, ledger] of e.ledgers) {
      for (const h of ledger.holes) {
        if (!h.provisional) continue;
        delete h.provisional;
        const trades = e.mode === "ids" ? Number(h.to - h.from + 1n) : 0;
        this.record(e.exchange, { kind: "opened", exchange: e.exchange, symbol, from: h.from.toString(), to: h.to.toString(), trades, fromTs: h.fromTs, toTs: h.toTs, at: Date.now() });
      }
    }
  }

  private ledger(e: PerExchange, symbol: string): GapLedger {
    let ledger = e.ledgers.get(symbol);
    if (!ledger) e.ledgers.set(symbol, (ledger = new GapLedger(e.mode)));
    return ledger;
  }

  /** One live trade; false when it is a repeat (already shipped) and must be dropped. `connects`: the session's connections so far. */
  admit(exchange: CollectorExchange, trade: Trade, connects: number): boolean {
    const e = this.exchanges.get(exchange)!;
    const ledger = this.ledger(e, trade.symbol);
    // The first trade against the saved state, while an earlier window may still ship what lies between.
    const againstSaved = !e.observed.has(trade.symbol) && ledger.upTo !== undefined && e.predecessorUntil !== undefined && e.predecessorUntil > Date.now();
    e.observed.add(trade.symbol);
    let observed;
    let id: bigint | undefined;
    if (e.mode === "ids") {
      if (!DIGITS.test(trade.tradeId)) return true; // not a sequence: shipped, not tracked
      id = BigInt(trade.tradeId);
      observed = ledger.observeId(id, trade.ts);
    } else {
      if (e.connects.get(trade.symbol) !== connects) {
        e.connects.set(trade.symbol, connects);
        e.resuming.add(trade.symbol);
      }
      observed = ledger.observeTime(trade.ts, trade.tradeId, e.resuming.has(trade.symbol));
      if (observed.kind !== "stale") e.resuming.delete(trade.symbol);
    }
    if (observed.kind === "repeat") {
      e.stats.repeats++;
      return false;
    }
    if (observed.hole && againstSaved) {
      observed.hole.provisional = true;
    } else if (observed.hole) {
      const h = observed.hole;
      const trades = e.mode === "ids" ? Number(h.to - h.from + 1n) : 0;
      this.record(exchange, { kind: "opened", exchange, symbol: trade.symbol, from: h.from.toString(), to: h.to.toString(), trades, fromTs: h.fromTs, toTs: h.toTs, at: Date.now() });
      this.schedule(e);
    }
    e.hourly.trade(trade.symbol, trade.ts, id, "live");
    return true;
  }

  private record(exchange: CollectorExchange, event: GapEvent): void {
    const e = this.exchanges.get(exchange)!;
    if (event.kind === "opened") {
      e.stats.found++;
      e.stats.foundTrades += event.trades;
    } else if (event.kind === "lost") {
      e.hourly.lost(event.symbol, event.fromTs, event.trades, BigInt(event.from), BigInt(event.to));
    }
    const base = normaliseSymbol(event.symbol)?.base;
    if (!base) return;
    if (this.events.length >= MAX_EVENTS) this.eventsDropped++;
    else this.events.push({ ...event, base });
  }

  /** Fetches the exchange's gaps a little later, one pass at a time. */
  private schedule(e: PerExchange): void {
    if (e.scheduled || e.filler.blocked) return;
    e.scheduled = true;
    e.chain = e.chain
      .then(() => new Promise((resolve) => setTimeout(resolve, this.config.gaps.fillDelayMs)))
      .then(() => {
        e.scheduled = false;
        return this.fillAll(e, this.windowDeadline);
      })
      .catch((error: unknown) => this.deps.logger?.error("market backfill failed", { exchange: e.exchange, error: (error as Error).message }));
  }

  private async fillAll(e: PerExchange, deadline: number): Promise<void> {
    for (const [symbol, ledger] of e.ledgers) {
      if (ledger.holes.length > 0) await e.filler.fill(symbol, ledger, deadline, this.abort.signal);
    }
  }

  /**
   * After the window: each id sequence checked against the exchange's latest trade,
   * the ledgers joined with what an overlapping window saved meanwhile, every gap
   * tried until `deadline`, the state saved. Never throws for a REST failure.
   */
  async finish(deadline: number, windowId: string, windowStart: number, handedOff = false): Promise<{ stats: Record<string, ExchangeGapStats>; reports: MarketCompleteness[] }> {
    clearTimeout(this.reconcileTimer);
    await Promise.all([...this.exchanges.values()].map((e) => e.chain));
    await Promise.all(
      [...this.exchanges.values()].map(async (e) => {
        // Handed off (WindowHandoff.ts): the later window has read every trade since before this one stopped, so what
        // the exchange made since is not this window's tail to fetch; the join below closes the seam.
        if (e.mode === "ids" && !handedOff) {
          for (const symbol of this.config.symbols[e.exchange]) await e.filler.extendToLatest(symbol, this.ledger(e, symbol), deadline, this.abort.signal);
        }
        await this.joinSaved(e);
        this.confirmProvisional(e);
        await this.fillAll(e, deadline);
        const { state } = this.deps;
        if (state && !e.loadFailed) {
          try {
            await saveGapState(state, e.exchange, e.ledgers);
            // Saved: a later window need not wait for this one any more (unless it has since taken the lease).
            const lease = await readWindowLease(state, e.exchange);
            if (lease?.windowId === windowId) await writeWindowLease(state, e.exchange, { windowId, until: Date.now() });
          } catch (error) {
            e.stats.stateError = `not saved: ${(error as Error).message}`;
            this.deps.logger?.error("market gap state not saved; the next window finds these gaps again from the last saved state", { exchange: e.exchange, error: (error as Error).message });
          }
        }
      }),
    );
    const stats: Record<string, ExchangeGapStats> = {};
    const reports: MarketCompleteness[] = [];
    const windowEnd = Date.now();
    for (const e of this.exchanges.values()) {
      for (const [symbol, ledger] of e.ledgers) {
        for (const h of ledger.holes) {
          const trades = e.mode === "ids" ? Number(h.to - h.from + 1n) : 0;
          e.hourly.pending(symbol, h.fromTs, trades);
          e.stats.pendingGaps++;
          e.stats.pendingTrades += trades;
        }
      }
      Object.assign(e.stats, { filled: e.filler.stats.filled, lost: e.filler.stats.lost, absent: e.filler.stats.absent, restCalls: e.filler.stats.restCalls });
      if (e.filler.stats.stoppedBy) e.stats.stoppedBy = e.filler.stats.stoppedBy;
      stats[e.exchange] = { ...e.stats };
      const hours = e.hourly.rowsFor((symbol) => {
        const pair = normaliseSymbol(symbol);
        // The store's symbol, as consume-prices writes it (BTCUSDT for BTC-USDT and XBTUSDT alike).
        return pair ? { symbol: `${pair.base}${pair.quote}`, base: pair.base } : undefined;
      });
      const events = this.events.filter((ev) => ev.exchange === e.exchange);
      if (hours.length > 0 || events.length > 0) {
        reports.push({ exchange: e.exchange, windowId, windowStart, windowEnd, mode: e.mode, hours, events });
      }
    }
    if (this.eventsDropped > 0) this.deps.logger?.warn("market gap events over the report's limit were not reported", { dropped: this.eventsDropped });
    return { stats, reports };
  }

  /** The exchange refused this location: its REST side would too, so no call is made (the ledger is kept as it is). */
  skipRest(exchange: CollectorExchange, reason: string): void {
    this.exchanges.get(exchange)?.filler.stopFor(reason);
  }

  /** Stops REST calls in flight (the window was aborted and must end now). */
  abortRest(): void {
    this.abort.abort();
  }
}

/** The completeness report of one exchange and window as a queue message (not archived: it is derived from what is). */
export function completenessEnvelope(report: MarketCompleteness, correlationId: string): Envelope<MarketCompleteness> {
  return {
    schema: MARKET_COMPLETENESS_SCHEMA,
    id: sha256Hex(`completeness\n${report.exchange}\n${report.windowId}`),
    source: report.exchange,
    producedAt: new Date(report.windowEnd).toISOString(),
    correlationId,
    payload: report,
  };
}
