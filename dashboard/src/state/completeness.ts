// The data-completeness indicator's pure state: GET /completeness rows summed per
// exchange over the range shown, gap events from notify/gap applied on top (a gap
// announced live counts as pending before the next answer has it), and the words
// a user reads: complete, "N trades missing (M pending backfill)", lost, unknown.
import type { CompletenessRow } from "../../../contracts/api.ts";
import type { GapNotification } from "../../../contracts/completeness.ts";
import { normaliseSymbol } from "../../../contracts/symbols.ts";
import { formatInteger } from "../format.ts";

export type CompletenessState = "complete" | "pending" | "lost" | "unknown";

const HOUR_MS = 3_600_000;
/** Hours the indicator covers (the current one included). */
export const COMPLETENESS_HOURS = 24;
/**
 * A gap announced live is dropped on an answer showing nothing pending for its
 * exchange only when that answer was asked this long after the gap arrived: the
 * store holds the collector's report before the event is published, but a search
 * sees a write only after its index refreshes.
 */
export const GAP_SETTLE_MS = 10_000;

/** `[from, to)` of the last COMPLETENESS_HOURS UTC hours, the current hour included. */
export function completenessRange(now: number): { from: number; to: number } {
  const hourStart = Math.floor(now / HOUR_MS) * HOUR_MS;
  return { from: hourStart - (COMPLETENESS_HOURS - 1) * HOUR_MS, to: now };
}

/** A gap opened and not yet filled or found lost, as the live feed announced it. */
export interface OpenGap {
  exchange: string;
  from: string;
  to: string;
  trades: number;
  /** When the page received it. */
  seenAt: number;
}

/** The newest gap event of an exchange, for a "last gap" line. */
export interface LastGap {
  kind: GapNotification["kind"];
  trades: number;
  /** Opened at (the gap's first trade), and when the event was made. */
  fromTs: number;
  at: number;
  /** An opened time range (BitMEX): its trades are unknown until it is fetched. */
  byTime: boolean;
}

export interface LiveGaps {
  open: readonly OpenGap[];
  last: Readonly<Record<string, LastGap>>;
}

export const NO_LIVE_GAPS: LiveGaps = { open: [], last: {} };

const DIGITS = /^\d{1,30}$/;
const KINDS = new Set(["opened", "filled", "lost"]);

/** A notify/gap payload, checked field by field (the broker passes whatever was published); undefined if it is not one. */
export function parseGapEvent(payload: unknown): GapNotification | undefined {
  if (typeof payload !== "object" || payload === null) return undefined;
  const p = payload as Record<string, unknown>;
  const str = (k: string) => typeof p[k] === "string" && (p[k] as string).length > 0;
  const num = (k: string) => typeof p[k] === "number" && Number.isFinite(p[k]) && (p[k] as number) >= 0;
  if (!KINDS.has(p.kind as string) || !str("exchange") || !str("symbol") || !str("base")) return undefined;
  if (!DIGITS.test(String(p.from)) || !DIGITS.test(String(p.to)) || !num("trades") || !num("fromTs") || !num("toTs") || !num("at")) return undefined;
  return payload as GapNotification;
}

/** The store's symbol for an exchange's own (`BTC-USDT` → BTCUSDT, `XBTUSD` → BTCUSD), as the collector names it. */
export function storeSymbolOf(exchangeSymbol: string): string {
  const pair = normaliseSymbol(exchangeSymbol);
  return pair ? `${pair.base}${pair.quote}` : exchangeSymbol.toUpperCase();
}

const overlaps = (a: { from: string; to: string }, b: { from: string; to: string }) => BigInt(a.from) <= BigInt(b.to) && BigInt(b.from) <= BigInt(a.to);

/**
 * A gap event applied to what the page knows live. Events of another symbol (the
 * coin's topic carries every quote: BTCUSDT and BTCUSD) leave it unchanged. An
 * opened gap is pending until a filled or lost event covers it.
 */
export function applyGapEvent(live: LiveGaps, event: GapNotification, symbol: string, now: number): LiveGaps {
  if (storeSymbolOf(event.symbol) !== symbol) return live;
  // An id gap holds at least one trade; a time range opens with its trades unknown (0).
  const byTime = event.kind === "opened" && event.trades === 0;
  const last = { ...live.last, [event.exchange]: { kind: event.kind, trades: event.trades, fromTs: event.fromTs, at: event.at, byTime } };
  if (event.kind === "opened") {
    const known = live.open.some((g) => g.exchange === event.exchange && g.from === event.from && g.to === event.to);
    const open = known ? live.open : [...live.open, { exchange: event.exchange, from: event.from, to: event.to, trades: event.trades, seenAt: now }];
    return { open, last };
  }
  return { open: live.open.filter((g) => g.exchange !== event.exchange || !overlaps(g, event)), last };
}

/**
 * An answer asked at `askedAt` settles the live gaps it already covers: an
 * exchange with nothing pending in it has none of the gaps announced at least
 * GAP_SETTLE_MS before it was asked (their filled event was missed, e.g. while
 * the feed reconnected).
 */
export function settleLiveGaps(live: LiveGaps, rows: readonly CompletenessRow[], askedAt: number): LiveGaps {
  const pendingIn = new Set(rows.filter((r) => r.pending > 0 || r.pendingGaps > 0).map((r) => r.exchange));
  const open = live.open.filter((g) => pendingIn.has(g.exchange) || askedAt - g.seenAt < GAP_SETTLE_MS);
  return open.length === live.open.length ? live : { open, last: live.last };
}

/** One exchange over the range: its state, and what it rests on. */
export interface ExchangeCompleteness {
  exchange: string;
  state: CompletenessState;
  /** "ids": trade ids (Binance, Kucoin); "time": time ranges (BitMEX); null: no hour tracked. */
  mode: "ids" | "time" | null;
  /** Hours with trades or a report, and of those, hours with a collector report. */
  hours: number;
  trackedHours: number;
  /** Sum of the tracked id hours' expected trades; null when no hour has an id range. */
  expected: number | null;
  stored: number;
  /** Of those, in hours with a collector report. */
  storedTracked: number;
  /** Of the expected trades (id hours), how many are stored: at most expected − lost per hour. */
  storedOfExpected: number;
  backfilled: number;
  lost: number;
  /** Expected trades neither stored nor known lost (id hours), at least what is pending. */
  missing: number;
  /** Ids waiting for backfill: the latest reports', or the live feed's if more. */
  pending: number;
  /** Gaps open: the reports', or the live feed's if more. */
  pendingGaps: number;
  /** The state in words: "complete", "6 trades missing (6 pending backfill)", … */
  text: string;
  /** What it rests on: counts, tracking, hours without a report. */
  detail: string;
  last: LastGap | undefined;
}

const n = (x: number) => formatInteger(x);
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

function stateText(e: Omit<ExchangeCompleteness, "text" | "detail" | "state">, state: CompletenessState): string {
  const timeNote = e.mode === "time" ? " (tracked by time range: no trade ids)" : "";
  if (state === "unknown") return e.hours === 0 ? "no data" : "unknown: no collector report (gap tracking off, or trades from the webhook)";
  const pendingWords =
    e.mode === "time" || e.missing === 0
      ? `${plural(e.pendingGaps, "gap")} open, backfill under way`
      : `${plural(e.missing, "trade")} missing (${n(e.pending)} pending backfill)`;
  if (state === "lost") return `${plural(e.lost, "trade")} lost (known unrecoverable)${e.missing > 0 || e.pendingGaps > 0 ? `; ${pendingWords}` : ""}${timeNote}`;
  if (state === "pending") return `${pendingWords}${timeNote}`;
  // Said when only part of the range is tracked (a collector started within it): complete is then a claim about those hours only.
  return `complete${e.trackedHours < e.hours ? ` in the ${plural(e.trackedHours, "hour")} tracked` : ""}${timeNote}`;
}

function detailText(e: Omit<ExchangeCompleteness, "text" | "detail" | "state">): string {
  const parts: string[] = [];
  // Of the expected trades only: an hour's candle also counts trades from elsewhere (history, the webhook) and those after the latest report.
  if (e.expected !== null) parts.push(`${n(e.storedOfExpected)} of ${n(e.expected)} expected trades stored (counted from trade ids)`);
  else if (e.trackedHours > 0) parts.push(`${plural(e.storedTracked, "trade")} stored`);
  if (e.backfilled > 0) parts.push(`${n(e.backfilled)} backfilled over REST`);
  const untracked = e.stored - e.storedTracked;
  if (e.trackedHours < e.hours) parts.push(`${plural(e.hours - e.trackedHours, "hour")} without a collector report${untracked > 0 ? ` (${plural(untracked, "trade")})` : ""}`);
  return parts.join(" · ");
}

/**
 * The rows of GET /completeness and the live gaps, per exchange (sorted by name):
 * lost when any trade is known unrecoverable, pending when any is missing or a
 * gap is open, complete when every expected trade is stored (or, by time range,
 * no gap is open), unknown when no hour of it has a collector report.
 */
export function summariseCompleteness(rows: readonly CompletenessRow[], live: LiveGaps = NO_LIVE_GAPS): ExchangeCompleteness[] {
  const exchanges = [...new Set([...rows.map((r) => r.exchange), ...live.open.map((g) => g.exchange), ...Object.keys(live.last)])].sort();
  return exchanges.map((exchange) => {
    const all = rows.filter((r) => r.exchange === exchange);
    const tracked = all.filter((r) => r.mode !== null);
    const ids = tracked.filter((r) => r.mode === "ids" && r.expected !== null);
    const sum = <T>(list: readonly T[], f: (r: T) => number) => list.reduce((s, r) => s + f(r), 0);
    const openLive = live.open.filter((g) => g.exchange === exchange);
    const pending = Math.max(sum(tracked, (r) => r.pending), sum(openLive, (g) => g.trades));
    const pendingGaps = Math.max(sum(tracked, (r) => r.pendingGaps), openLive.length);
    const base = {
      exchange,
      mode: tracked.length > 0 ? (tracked.some((r) => r.mode === "time") ? ("time" as const) : ("ids" as const))
        : openLive.length > 0 ? (openLive.every((g) => g.trades === 0) ? ("time" as const) : ("ids" as const))
        : null,
      hours: all.length,
      trackedHours: tracked.length,
      expected: ids.length > 0 ? sum(ids, (r) => r.expected ?? 0) : null,
      stored: sum(all, (r) => r.stored),
      storedTracked: sum(tracked, (r) => r.stored),
      storedOfExpected: sum(ids, (r) => Math.min(r.stored, Math.max(0, (r.expected ?? 0) - r.knownMissing))),
      backfilled: sum(all, (r) => r.backfilled),
      lost: sum(all, (r) => r.knownMissing),
      // A hole the live feed announced may not be in an hour's expected range yet: at least what is pending.
      missing: Math.max(sum(ids, (r) => Math.max(0, (r.expected ?? 0) - r.stored - r.knownMissing)), pending),
      pending,
      pendingGaps,
      last: live.last[exchange],
    };
    const state: CompletenessState =
      base.lost > 0 ? "lost"
      : base.missing > 0 || pendingGaps > 0 ? "pending"
      : tracked.length > 0 ? "complete"
      : "unknown";
    return { ...base, state, text: stateText(base, state), detail: detailText(base) };
  });
}

/** The coin's state over its exchanges, for the header: the worst one known (lost, then pending), else complete if any is, else unknown. */
export function overallCompleteness(list: readonly ExchangeCompleteness[]): CompletenessState {
  for (const state of ["lost", "pending", "complete"] as const) if (list.some((e) => e.state === state)) return state;
  return "unknown";
}

/** The header's compact form: "data complete", "6 trades pending", "40 trades lost", "completeness unknown". */
export function compactText(list: readonly ExchangeCompleteness[]): string {
  const state = overallCompleteness(list);
  if (state === "lost") return `${plural(list.reduce((s, e) => s + e.lost, 0), "trade")} lost`;
  if (state === "pending") {
    const missing = list.reduce((s, e) => s + e.missing, 0);
    return missing > 0 ? `${plural(missing, "trade")} missing` : `${plural(list.reduce((s, e) => s + e.pendingGaps, 0), "gap")} open`;
  }
  return state === "complete" ? "data complete" : "completeness unknown";
}

/** "last gap: 6 trades, filled over REST" (the time is added by the view, in the reader's clock). */
export function lastGapText(last: LastGap): string {
  const size = last.byTime && last.kind === "opened" ? "a time range" : plural(last.trades, "trade");
  const what = last.kind === "opened" ? "opened, backfill under way" : last.kind === "filled" ? "filled over REST" : "lost (older than the exchange's REST history)";
  return `last gap: ${size}, ${what}`;
}
