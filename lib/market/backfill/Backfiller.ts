import type { Trade } from "../../../contracts/market.ts";
import type { LogSink } from "../../log/LogSink.ts";
import type { GapLedger, Hole } from "../gaps/GapLedger.ts";
import { RestBudgetExhausted, RestFailure } from "./restErrors.ts";
import type { TokenBucket } from "./TokenBucket.ts";
import type { IdHistorySource, TimeHistorySource, TradeHistorySource } from "./TradeHistorySource.ts";

/** A gap opened, filled over REST, or found beyond REST's reach; `trades` counts them (ids, or trades fetched for a time range). */
export interface GapEvent {
  kind: "opened" | "filled" | "lost";
  exchange: string;
  symbol: string;
  from: string;
  to: string;
  trades: number;
  fromTs: number;
  toTs: number;
  at: number;
}

export interface BackfillStats {
  restCalls: number;
  /** Trades fetched over REST and shipped. */
  filled: number;
  /** Ids older than the exchange's REST history reaches: known and unrecoverable. */
  lost: number;
  /** Ids inside an answered range that the answer did not hold: not trades (a sequence shared with other events). */
  absent: number;
  /** Why backfilling stopped early in this window, if it did (the gaps stay recorded). */
  stoppedBy?: string;
}

export type ShipTrades = (symbol: string, trades: Trade[]) => void;

const idOf = (t: Trade) => BigInt(t.tradeId);

/**
 * Fills one exchange's gaps from its REST trade history, within its rate limit
 * and a deadline. A failure (unreachable, 429/418, 451) or the deadline stops it
 * for this window and is reported, never thrown: the gaps stay in the ledger,
 * to be tried again in the next window.
 */
export class Backfiller {
  readonly stats: BackfillStats = { restCalls: 0, filled: 0, lost: 0, absent: 0 };
  private stopped = false;
  /**
   * The latest deadline whose time or rate budget ran out. Calls against it (or an earlier
   * one) stop; the end-of-window REST phase has a later deadline and still calls. (A fill
   * scheduled during the window that started after the window's end used to stop the
   * filler for the whole window, leaving its REST phase idle and the gap pending.)
   */
  private spentDeadline = -Infinity;

  constructor(
    readonly source: TradeHistorySource,
    private readonly bucket: TokenBucket,
    private readonly ship: ShipTrades,
    private readonly onEvent: (event: GapEvent) => void,
    private readonly logger?: LogSink,
  ) {}

  /** No more REST calls in this window (e.g. the exchange refused this location on its websocket). */
  stopFor(reason: string): void {
    this.stopped = true;
    this.stats.stoppedBy = reason;
  }

  get blocked(): boolean {
    return this.stopped;
  }

  /** Ids sources, end of a window: the exchange's latest id; the ids after the last read are a gap. */
  async extendToLatest(symbol: string, ledger: GapLedger, deadline: number, signal: AbortSignal): Promise<void> {
    if (this.source.mode !== "ids" || this.stopped || deadline <= this.spentDeadline) return;
    const source = this.source;
    await this.guard(deadline, async () => {
      await this.bucket.take(source.weights.latest, deadline, signal);
      this.stats.restCalls++;
      const latest = await source.latest(symbol, signal);
      const hole = latest ? ledger.extendTo(latest.id, latest.ts) : undefined;
      if (hole) this.event("opened", symbol, hole, Number(hole.to - hole.from + 1n));
    });
  }

  /** Tries every hole of the symbol, oldest first, until done, stopped or out of time. */
  async fill(symbol: string, ledger: GapLedger, deadline: number, signal: AbortSignal): Promise<void> {
    for (const hole of [...ledger.holes]) {
      if (this.stopped || deadline <= this.spentDeadline || signal.aborted) return;
      if (!ledger.holes.includes(hole)) continue; // closed meanwhile (a late trade, or an earlier page)
      if (hole.provisional) continue; // an overlapping window may still ship these: not yet a gap
      const done = await this.guard(deadline, () => (this.source.mode === "ids" ? this.fillIds(this.source, symbol, ledger, hole, deadline, signal) : this.fillTime(this.source, symbol, ledger, hole, deadline, signal)));
      // The hole may have been split by what was fetched: count the attempt on what is left of it.
      if (!done) for (const h of ledger.holes) if (h.from <= hole.to && h.to >= hole.from) h.attempts++;
    }
  }

  private async fillIds(source: IdHistorySource, symbol: string, ledger: GapLedger, hole: Hole, deadline: number, signal: AbortSignal): Promise<void> {
    const to = hole.to;
    let from = hole.from;
    let shipped = 0;
    while (from <= to) {
      await this.bucket.take(source.weights.page, deadline, signal);
      this.stats.restCalls++;
      const page = await source.page(symbol, from, to, signal);
      if (page.length === 0) return; // nothing there yet: stays pending
      const first = idOf(page[0]!);
      if (first > from) {
        const lostTo = first - 1n < to ? first - 1n : to;
        const lost = ledger.remove({ from, to: lostTo });
        this.stats.lost += Number(lost);
        if (lost > 0n) this.event("lost", symbol, { ...hole, from, to: lostTo }, Number(lost));
      }
      const fresh = page.filter((t) => {
        const id = idOf(t);
        return id >= from && id <= to && ledger.fillOne(id);
      });
      if (fresh.length > 0) this.ship(symbol, fresh);
      shipped += fresh.length;
      this.stats.filled += fresh.length;
      const last = idOf(page[page.length - 1]!);
      const coveredTo = last < to ? last : to;
      // The answer holds every trade in [from, coveredTo]: what it lacks there is no trade.
      if (coveredTo >= from) this.stats.absent += Number(ledger.remove({ from, to: coveredTo }));
      if (last >= to || page.length < source.pageSize) break;
      from = last + 1n;
    }
    if (!ledger.holes.some((h) => h.from <= to && h.to >= hole.from) && shipped > 0) this.event("filled", symbol, hole, shipped);
  }

  private async fillTime(source: TimeHistorySource, symbol: string, ledger: GapLedger, hole: Hole, deadline: number, signal: AbortSignal): Promise<void> {
    // Ids shipped live at the edges, and those fetched by an earlier attempt, are not shipped again.
    const seen = new Set(hole.seen ?? []);
    hole.seen ??= [];
    let shipped = 0;
    for (let start = 0; ; ) {
      await this.bucket.take(source.weights.page, deadline, signal);
      this.stats.restCalls++;
      const page = await source.page(symbol, Number(hole.from), Number(hole.to), start, signal);
      const fresh = page.filter((t) => !seen.has(t.tradeId));
      for (const t of fresh) {
        seen.add(t.tradeId);
        hole.seen.push(t.tradeId);
      }
      if (fresh.length > 0) this.ship(symbol, fresh);
      shipped += fresh.length;
      this.stats.filled += fresh.length;
      if (page.length < source.pageSize) break;
      start += page.length;
    }
    ledger.remove(hole);
    this.event("filled", symbol, hole, shipped);
  }

  /** Runs one REST step; true if it completed. Failures stop this exchange's backfill for the window; a spent budget, the calls against that deadline. */
  private async guard(deadline: number, step: () => Promise<void>): Promise<boolean> {
    try {
      await step();
      return true;
    } catch (error) {
      if (error instanceof RestBudgetExhausted) {
        this.spentDeadline = Math.max(this.spentDeadline, deadline);
        this.stats.stoppedBy = `budget: ${error.message}`;
        this.logger?.warn("market backfill out of time for this pass; gaps stay recorded", { exchange: this.source.exchange, error: error.message });
        return false;
      }
      if (error instanceof RestFailure) {
        if (error.kind === "rate-limited" && error.retryAfterMs) this.bucket.drainUntil(Date.now() + error.retryAfterMs);
        this.stop(error.kind, error.message);
        return false;
      }
      if ((error as Error).name === "AbortError") {
        this.stop("aborted", "window aborted");
        return false;
      }
      throw error;
    }
  }

  private stop(kind: string, message: string): void {
    this.stopped = true;
    this.stats.stoppedBy = `${kind}: ${message}`;
    this.logger?.warn("market backfill stopped for this window; gaps stay recorded", { exchange: this.source.exchange, reason: kind, error: message });
  }

  private event(kind: GapEvent["kind"], symbol: string, span: Hole, trades: number): void {
    this.onEvent({ kind, exchange: this.source.exchange, symbol, from: span.from.toString(), to: span.to.toString(), trades, fromTs: span.fromTs, toTs: span.toTs, at: Date.now() });
  }
}
