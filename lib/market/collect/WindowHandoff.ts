// Consecutive collection windows overlap (the schedule starts the next one ~2 s
// before this one ends) so that no trade goes unwatched while the next one's
// sockets connect. For as long as both read, every trade is parsed, archived,
// enqueued and written twice (the store drops the repeat): at 20,000 trades/s
// those seconds saturated a 2-core machine at every minute boundary. The handoff
// keeps the overlap as short as it can safely be:
//
// - the later window, once every exchange has delivered trades, writes the first
//   trade time it read per stream (`state/market/handoff.json`);
// - the earlier one, in the last seconds of its window, reads that, and stops once
//   a later window is live on every exchange and it has itself read up to those
//   first trades on a stream of each: from then on the later window has every
//   trade, so nothing falls between them.
//
// Without the state store, or if the later window never says it is live, the
// earlier one reads its whole window, as before.
import { z } from "zod";
import type { LogSink } from "../../log/LogSink.ts";
import type { StateStore } from "../../scraper/StateStore.ts";

export const HANDOFF_KEY = "state/market/handoff.json";
/** The earlier window looks for a live successor in its last this-many ms. */
export const HANDOFF_WATCH_MS = 5000;
/** How often it looks (one read of the state store). */
export const HANDOFF_POLL_MS = 250;
/** A later window announces once every exchange delivered a trade, or this long after its sessions started. */
export const ANNOUNCE_AFTER_MS = 1000;

const handoffJson = z.object({
  windowId: z.string(),
  startedAt: z.number(),
  /** exchange → symbol → exchange time (ms) of the first trade this window read. */
  live: z.record(z.string(), z.record(z.string(), z.number())),
});
export type HandoffNotice = z.infer<typeof handoffJson>;

export class WindowHandoff {
  private readonly first = new Map<string, Map<string, number>>();
  private readonly last = new Map<string, Map<string, number>>();
  private announced = false;

  constructor(
    private readonly state: StateStore,
    private readonly windowId: string,
    private readonly startedAt: number,
    private readonly exchanges: readonly string[],
    private readonly logger?: LogSink,
  ) {}

  /**
   * Both roles, from the moment the sessions start: as the later window, says when this one is
   * live; as the earlier one, in the last HANDOFF_WATCH_MS of `windowMs`, calls `onCovered` once a
   * later window has taken over. Returns the stop for both.
   */
  start(windowMs: number, onCovered: () => void): () => void {
    const started = Date.now();
    const announcing = setInterval(() => {
      if (!this.readyToAnnounce(Date.now() - started)) return;
      clearInterval(announcing);
      void this.announce();
    }, 50);
    let watching: NodeJS.Timeout | undefined;
    let looking = false;
    let stopped = false;
    const watchFrom = setTimeout(() => {
      watching = setInterval(() => {
        if (looking) return;
        looking = true;
        void this.successorLive().then((live) => {
          looking = false;
          if (!live || stopped) return;
          this.logger?.info("collection window handed off to the next", { windowMs, elapsedMs: Date.now() - this.startedAt });
          onCovered();
        });
      }, HANDOFF_POLL_MS);
    }, Math.max(0, windowMs - HANDOFF_WATCH_MS));
    return () => {
      stopped = true;
      clearInterval(announcing);
      clearTimeout(watchFrom);
      clearInterval(watching);
    };
  }

  /** Every trade read (shipped or a repeat): its stream's first and last exchange time. */
  read(exchange: string, symbol: string, ts: number): void {
    let last = this.last.get(exchange);
    if (!last) this.last.set(exchange, (last = new Map()));
    last.set(symbol, Math.max(ts, last.get(symbol) ?? ts));
    if (this.announced) return;
    let first = this.first.get(exchange);
    if (!first) this.first.set(exchange, (first = new Map()));
    if (!first.has(symbol)) first.set(symbol, ts);
  }

  /** Whether it is time to say this window is live: every exchange delivered, or it has been long enough. */
  private readyToAnnounce(sinceStart: number): boolean {
    return !this.announced && (this.exchanges.every((e) => (this.first.get(e)?.size ?? 0) > 0) || sinceStart >= ANNOUNCE_AFTER_MS);
  }

  /** Says this window is live (once); a failure only costs the earlier window its early stop. */
  private async announce(): Promise<void> {
    if (this.announced) return;
    this.announced = true;
    const live = Object.fromEntries([...this.first].map(([e, m]) => [e, Object.fromEntries(m)]));
    const notice: HandoffNotice = { windowId: this.windowId, startedAt: this.startedAt, live };
    try {
      await this.state.write(HANDOFF_KEY, JSON.stringify(notice));
    } catch (error) {
      this.logger?.warn("collection window handoff not announced; the earlier window reads its whole window", { error: (error as Error).message });
    }
  }

  /**
   * True when a later window is live on every exchange and this one has read up to its
   * first trade on at least one stream of each (this window is not behind on that socket).
   */
  private async successorLive(): Promise<boolean> {
    let text: string | undefined;
    try {
      text = await this.state.read(HANDOFF_KEY);
    } catch {
      return false;
    }
    if (text === undefined) return false;
    const parsed = handoffJson.safeParse(JSON.parse(text));
    if (!parsed.success) return false;
    return coveredBy(parsed.data, { windowId: this.windowId, startedAt: this.startedAt, exchanges: this.exchanges, last: this.last });
  }
}

/** Pure: does `notice` come from a later window that has taken over every exchange from this one? */
export function coveredBy(
  notice: HandoffNotice,
  self: { windowId: string; startedAt: number; exchanges: readonly string[]; last: ReadonlyMap<string, ReadonlyMap<string, number>> },
): boolean {
  if (notice.windowId === self.windowId || notice.startedAt <= self.startedAt) return false;
  return self.exchanges.every((exchange) => {
    const theirs = Object.entries(notice.live[exchange] ?? {});
    const mine = self.last.get(exchange);
    // Every stream both read: this window has read past the later one's first trade.
    const both = theirs.filter(([symbol]) => mine?.has(symbol));
    return both.length > 0 && both.every(([symbol, firstTs]) => mine!.get(symbol)! >= firstTs);
  });
}
