import { intersectSpan, maxBig, minBig, subtractSpan, type Span } from "./IdRanges.ts";

/**
 * A stretch of one exchange+symbol's trades that was not shipped: ids `from..to`
 * (Binance trade ids, Kucoin match sequences) or, for an exchange whose trades
 * carry no sequence (BitMEX), the milliseconds `from..to` in which trades may be
 * missing. `fromTs`/`toTs` bound it in time (the hour a gap is counted in);
 * `seen` (time holes) are the trade ids already shipped at its two edge
 * milliseconds, so a REST fill skips them.
 */
export interface Hole extends Span {
  fromTs: number;
  toTs: number;
  /** When it was found (ms). */
  openedAt: number;
  /** REST attempts that did not close it. */
  attempts: number;
  seen?: string[];
  /**
   * Opened by a window's first trade against the saved state: an overlapping earlier window
   * may still ship these trades, so the hole is neither fetched nor reported until the state
   * is read again and joined (what is left then is a real gap).
   */
  provisional?: boolean;
}

/** `stale` (time mode): a resumed stream's trade older than the last shipped one (a snapshot replayed on subscribe); the hole opens at the first newer trade. */
export type Observation = "first" | "next" | "gap" | "repeat" | "filled" | "stale";

/** What a ledger keeps between windows (S3). Positions are decimal strings: Kucoin sequences exceed 2^53. */
export interface LedgerJson {
  mode: "ids" | "time";
  upTo?: string;
  upToTs?: number;
  /** Time mode: trade ids shipped at the millisecond upTo. */
  seenAtUpTo?: string[];
  holes: Array<Omit<Hole, "from" | "to"> & { from: string; to: string }>;
}

/**
 * What has been shipped of one exchange+symbol: every position up to `upTo`
 * except the holes. Pure: the collector feeds it the trades it ships, the end
 * of a window the exchange's latest id, and REST fills; it answers which trades
 * are repeats (drop them), which close a hole, and which open one. Two ledgers
 * of the same stream (overlapping windows) join into what both shipped.
 */
export class GapLedger {
  upTo: bigint | undefined;
  upToTs: number | undefined;
  seenAtUpTo: string[] = [];
  holes: Hole[] = [];
  /** Time mode: the hole whose far edge is still receiving trades at the same millisecond. */
  private openEdge: Hole | undefined;

  constructor(readonly mode: "ids" | "time") {}

  /** Ids mode: one trade as read from the socket (ids may repeat or go back after a reconnect). */
  observeId(id: bigint, ts: number, now = Date.now()): { kind: Observation; hole?: Hole } {
    if (this.upTo === undefined) {
      this.upTo = id;
      this.upToTs = ts;
      return { kind: "first" };
    }
    if (id > this.upTo) {
      let hole: Hole | undefined;
      if (id > this.upTo + 1n) {
        hole = { from: this.upTo + 1n, to: id - 1n, fromTs: this.upToTs ?? ts, toTs: ts, openedAt: now, attempts: 0 };
        this.holes.push(hole);
      }
      this.upTo = id;
      this.upToTs = ts;
      return hole ? { kind: "gap", hole } : { kind: "next" };
    }
    return this.fillOne(id) ? { kind: "filled" } : { kind: "repeat" };
  }

  /**
   * Time mode: one trade. `resumed`: the first trade since the socket (re)connected
   * or the window started; what happened between the last shipped trade and it is a hole.
   */
  observeTime(ts: number, tradeId: string, resumed: boolean, now = Date.now()): { kind: Observation; hole?: Hole } {
    const position = BigInt(ts);
    if (this.upTo === undefined) {
      this.upTo = position;
      this.upToTs = ts;
      this.seenAtUpTo = [tradeId];
      return { kind: "first" };
    }
    if (this.openEdge && this.openEdge.to === position) this.openEdge.seen!.push(tradeId);
    else this.openEdge = undefined;
    if (resumed && position < this.upTo) return { kind: "stale" };
    let hole: Hole | undefined;
    if (resumed && position >= this.upTo) {
      hole = { from: this.upTo, to: position, fromTs: this.upToTs ?? ts, toTs: ts, openedAt: now, attempts: 0, seen: [...this.seenAtUpTo, tradeId] };
      this.holes.push(hole);
      this.openEdge = hole;
    }
    if (position > this.upTo) {
      this.upTo = position;
      this.upToTs = ts;
      this.seenAtUpTo = [tradeId];
    } else if (position === this.upTo) this.seenAtUpTo.push(tradeId);
    return hole ? { kind: "gap", hole } : { kind: "next" };
  }

  /** Ids mode, end of a window: the exchange's latest trade id; ids after upTo that were not read are a hole. */
  extendTo(latestId: bigint, latestTs: number, now = Date.now()): Hole | undefined {
    if (this.upTo === undefined) {
      this.upTo = latestId;
      this.upToTs = latestTs;
      return undefined;
    }
    if (latestId <= this.upTo) return undefined;
    const hole: Hole = { from: this.upTo + 1n, to: latestId, fromTs: this.upToTs ?? latestTs, toTs: latestTs, openedAt: now, attempts: 0 };
    this.holes.push(hole);
    this.upTo = latestId;
    this.upToTs = latestTs;
    return hole;
  }

  /** Removes one position from the holes; true if it was in one (a late trade). */
  fillOne(id: bigint): boolean {
    const i = this.holes.findIndex((h) => h.from <= id && id <= h.to);
    if (i < 0) return false;
    this.cut(i, { from: id, to: id });
    return true;
  }

  /** Removes a span from the holes (it was fetched, or is known lost); returns the positions removed. */
  remove(span: Span): bigint {
    let removed = 0n;
    for (let i = this.holes.length - 1; i >= 0; i--) {
      const overlap = intersectSpan(this.holes[i]!, span);
      if (!overlap) continue;
      removed += overlap.to - overlap.from + 1n;
      this.cut(i, overlap);
    }
    return removed;
  }

  private cut(i: number, span: Span): void {
    const hole = this.holes[i]!;
    const rest = subtractSpan(hole, span).map((s) => ({ ...hole, ...s }));
    this.holes.splice(i, 1, ...rest);
    if (this.openEdge === hole) this.openEdge = rest.find((h) => h.to === hole.to);
  }

  /** Positions still missing. */
  get pending(): bigint {
    return this.holes.reduce((n, h) => n + (h.to - h.from + 1n), 0n);
  }

  /**
   * What this ledger and `other` shipped together: up to the smaller upTo a position is
   * missing only if both miss it; beyond it, if the ledger that got further misses it.
   */
  join(other: GapLedger): void {
    if (other.mode !== this.mode) throw new RangeError(`cannot join a ${other.mode} ledger into a ${this.mode} one`);
    if (other.upTo === undefined) return;
    if (this.upTo === undefined) {
      Object.assign(this, { upTo: other.upTo, upToTs: other.upToTs, seenAtUpTo: [...other.seenAtUpTo], holes: other.holes.map((h) => ({ ...h })) });
      return;
    }
    const common = minBig(this.upTo, other.upTo);
    const ahead: GapLedger = this.upTo >= other.upTo ? this : other;
    const holes: Hole[] = [];
    for (const a of this.holes) {
      for (const b of other.holes) {
        const overlap = intersectSpan(a, b);
        if (overlap && overlap.to <= common) holes.push(merged(a, b, overlap));
        else if (overlap && overlap.from <= common) holes.push(merged(a, b, { from: overlap.from, to: common }));
      }
    }
    for (const h of ahead.holes) {
      if (h.to > common) holes.push({ ...h, from: maxBig(h.from, common + 1n), ...(h.seen ? { seen: [...h.seen] } : {}) });
    }
    const seen = this.upTo === other.upTo ? [...new Set([...this.seenAtUpTo, ...other.seenAtUpTo])] : [...ahead.seenAtUpTo];
    this.upTo = ahead.upTo;
    this.upToTs = ahead.upToTs;
    this.seenAtUpTo = seen;
    this.holes = holes.sort((x, y) => (x.from < y.from ? -1 : x.from > y.from ? 1 : 0));
    this.openEdge = undefined;
  }

  toJson(): LedgerJson {
    // Provisional is this window's own caution, not state: the next window judges afresh.
    return {
      mode: this.mode,
      ...(this.upTo !== undefined ? { upTo: this.upTo.toString() } : {}),
      ...(this.upToTs !== undefined ? { upToTs: this.upToTs } : {}),
      ...(this.mode === "time" ? { seenAtUpTo: this.seenAtUpTo } : {}),
      holes: this.holes.map(({ provisional: _p, ...h }) => ({ ...h, from: h.from.toString(), to: h.to.toString() })),
    };
  }

  static fromJson(json: LedgerJson): GapLedger {
    const ledger = new GapLedger(json.mode);
    if (json.upTo !== undefined) ledger.upTo = BigInt(json.upTo);
    ledger.upToTs = json.upToTs;
    ledger.seenAtUpTo = json.seenAtUpTo ?? [];
    ledger.holes = json.holes.map((h) => ({ ...h, from: BigInt(h.from), to: BigInt(h.to) }));
    return ledger;
  }
}

function merged(a: Hole, b: Hole, span: Span): Hole {
  const seen = a.seen || b.seen ? [...new Set([...(a.seen ?? []), ...(b.seen ?? [])])] : undefined;
  // Missing for both: a gap the other window found (and reported) too, so no longer provisional.
  return {
    ...span,
    fromTs: Math.min(a.fromTs, b.fromTs), toTs: Math.max(a.toTs, b.toTs),
    openedAt: Math.min(a.openedAt, b.openedAt), attempts: Math.max(a.attempts, b.attempts),
    ...(seen ? { seen } : {}),
  };
}
