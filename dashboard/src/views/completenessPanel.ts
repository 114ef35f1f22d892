// The coin view's data-completeness indicator: per exchange, over the last 24 h,
// whether the store holds every trade the exchange made (GET /completeness), and a
// compact form for the header. Live through notify/gap: an opened gap shows as
// pending at once, a filled one clears it, and /completeness is read again.
import type { AppContext } from "../app.ts";
import type { CompletenessAnswer } from "../../../contracts/api.ts";
import {
  applyGapEvent, compactText, completenessRange, COMPLETENESS_HOURS, lastGapText, NO_LIVE_GAPS, overallCompleteness, settleLiveGaps, summariseCompleteness,
  type ExchangeCompleteness, type LiveGaps,
} from "../state/completeness.ts";
import { emptyState, h, replace } from "../ui/dom.ts";
import { LoadNote } from "../ui/loadNote.ts";

/** Collection windows report once a minute: read again as often, beside the reads a gap event asks for. */
const REREAD_MS = 60_000;
/** After a gap event: wait for its siblings (one window's events come together), then read. */
const AFTER_EVENT_MS = 1_000;

const STATE_LABEL = { complete: "complete", pending: "pending", lost: "lost", unknown: "unknown" } as const;

function exchangeItem(e: ExchangeCompleteness): HTMLElement {
  return h(
    "li",
    { class: `completeness-exchange state-${e.state}`, "data-exchange": e.exchange, "data-state": e.state, "data-mode": e.mode ?? "none", "data-missing": String(e.missing), "data-pending": String(e.pending), "data-lost": String(e.lost), "data-last-gap": e.last?.kind ?? "none" },
    h("strong", { class: "exchange" }, e.exchange),
    " ",
    h("span", { class: `badge completeness-state state-${e.state}` }, STATE_LABEL[e.state]),
    " ",
    h("span", { class: "completeness-text" }, e.text),
    h("div", { class: "meta" }, e.detail),
    // A clock time, not an age: an age would redraw the list (a live region) every second.
    e.last ? h("div", { class: "meta last-gap" }, `${lastGapText(e.last)} at `, h("time", { datetime: new Date(e.last.at).toISOString() }, `${new Date(e.last.at).toISOString().slice(11, 19)} UTC`)) : null,
  );
}

export function completenessPanel(ctx: AppContext, symbol: string, coin: string): { el: HTMLElement; badge: HTMLElement; destroy(): void } {
  const badge = h("span", { class: "badge completeness-badge state-unknown", id: "completeness-badge", "data-state": "loading", title: `data completeness of ${symbol}, last ${COMPLETENESS_HOURS} h` }, "completeness…");
  const list = h("ul", { id: "completeness-list", class: "completeness-list", "aria-live": "polite" }, emptyState("Loading data completeness…"));
  const note = new LoadNote(`Data completeness of ${symbol}`, () => loader.retryNow(), list);
  const el = h(
    "section",
    { class: "completeness-panel", id: "completeness", "data-state": "loading", "data-symbol": symbol, "aria-label": `data completeness of ${symbol}` },
    h("h2", {}, `Data completeness, last ${COMPLETENESS_HOURS} h`),
    note.el,
    list,
    h(
      "p",
      { class: "hint" },
      "Complete: every trade the exchange made (counted from its trade ids) is stored, live or backfilled over REST. Pending: a gap is open and being backfilled. " +
        "Lost: older than the exchange's REST history reaches, known and counted. BitMEX trades carry no ids: its gaps are tracked by time range.",
    ),
  );

  let destroyed = false;
  let live: LiveGaps = NO_LIVE_GAPS;
  let rows: CompletenessAnswer["hours"] | undefined;
  let shownAt: number | undefined;

  const draw = () => {
    if (rows === undefined && live.open.length === 0 && Object.keys(live.last).length === 0) return;
    const summary = summariseCompleteness(rows ?? [], live);
    const overall = overallCompleteness(summary);
    el.dataset.state = overall;
    badge.dataset.state = overall;
    badge.className = `badge completeness-badge state-${overall}`;
    badge.textContent = compactText(summary);
    badge.title = `data completeness of ${symbol}, last ${COMPLETENESS_HOURS} h: ${summary.map((e) => `${e.exchange} ${e.text}`).join("; ") || "no data"}`;
    if (summary.length === 0) replace(list, emptyState(`No trades of ${symbol} stored in the last ${COMPLETENESS_HOURS} h.`, "Completeness is reported by collect-market each minute for the symbols it collects."));
    else replace(list, ...summary.map(exchangeItem));
  };

  const loader = ctx.loader<{ answer: CompletenessAnswer; askedAt: number }>(
    async (request) => {
      const askedAt = Date.now();
      const { from, to } = completenessRange(askedAt);
      const answer = await ctx.api.get<CompletenessAnswer>("/completeness", { symbol, from, to }, {
        ...request,
        check: (a) => (Array.isArray((a as CompletenessAnswer | null)?.hours) ? undefined : 'no "hours" list'),
      });
      return { answer, askedAt };
    },
    (state) => {
      if (destroyed) return;
      if (state.data !== undefined && state.dataAt !== shownAt) {
        shownAt = state.dataAt;
        rows = state.data.answer.hours;
        live = settleLiveGaps(live, rows, state.data.askedAt);
        draw();
      } else if (state.data === undefined && state.failure !== undefined) {
        // The note says what failed and when it is tried again; nothing is left saying "Loading…".
        el.dataset.state = "error";
        badge.dataset.state = "error";
        badge.textContent = "completeness not loaded";
        replace(list);
      }
      note.update(state, Date.now());
    },
  );

  let eventTimer: ReturnType<typeof setTimeout> | undefined;
  const offGap = ctx.priceGap.on((event) => {
    if (event.base !== coin) return;
    const next = applyGapEvent(live, event, symbol, Date.now());
    if (next === live) return;
    live = next;
    draw();
    eventTimer ??= setTimeout(() => {
      eventTimer = undefined;
      loader.refresh();
    }, AFTER_EVENT_MS);
  });
  const offReconnected = ctx.reconnected.on(() => loader.refresh());
  let lastRead = Date.now();
  const offTick = ctx.tick.on((now) => {
    note.update(loader.state, now);
    if (now - lastRead >= REREAD_MS) {
      lastRead = now;
      loader.refresh();
    }
  });
  loader.refresh();
  return {
    el,
    badge,
    destroy() {
      destroyed = true;
      loader.destroy();
      clearTimeout(eventTimer);
      offGap();
      offReconnected();
      offTick();
    },
  };
}
