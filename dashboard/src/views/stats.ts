// Statistics: the API's six analytics answers, each with its window and definition,
// as a table and a bar chart. Hourly figures: refetched every minute while shown.
import type { AppContext, View } from "../app.ts";
import type { Query } from "../api.ts";
import type { Loader } from "../request/loader.ts";
import { formatCompact, formatInteger, formatPrice, formatUtc, formatWindow, priceDecimals } from "../format.ts";
import { barChart, columnChart } from "../ui/charts.ts";
import { freshness } from "../staleness.ts";
import { emptyState, h, replace } from "../ui/dom.ts";
import { LoadNote } from "../ui/loadNote.ts";
import type { WindowInfo } from "../../../contracts/api.ts";

interface Transactions extends WindowInfo {
  hours: string[];
  coins: Array<{ symbol: string; trades: number; hourly: Array<{ hour: string; trades: number }> }>;
}
interface Volume extends WindowInfo {
  coins: Array<{ symbol: string; volume: number; quoteVolume: number; trades: number }>;
}
interface Aggregated extends WindowInfo {
  hours: Array<{ hour: string; trades: number; quoteVolume: number; coins: Array<{ symbol: string }> }>;
}
interface TradesLastN extends WindowInfo {
  symbol: string;
  minutes: number;
  trades: number;
  volume: number;
  quoteVolume: number;
  minutesWithTrades: number;
  minutely: Array<{ minute: string; trades: number; volume: number; quoteVolume: number }>;
}
interface Top extends WindowInfo {
  coins: Array<{ rank: number; symbol: string; quoteVolume: number; volume: number; trades: number }>;
}
interface Current {
  symbol: string;
  buy: { price: number; exchange: string; at: string };
  sell: { price: number; exchange: string; at: string };
  asOf: string;
  exchanges: Array<{ exchange: string; bid: number; ask: number; at: string; ageMs: number }>;
}

/** Ask − bid in basis points of the mid price. */
export const spreadBps = (q: { bid: number; ask: number }): number => ((q.ask - q.bid) / ((q.ask + q.bid) / 2)) * 10_000;

/** Fields each answer must carry (docs/api.md). */
const REQUIRED: Record<string, string[]> = {
  "/transactions/last_6_hours": ["from", "to", "hours", "coins"],
  "/volume/last_6_hours": ["from", "to", "coins"],
  "/aggregated_stats/last_12_hours": ["from", "to", "hours"],
  "/trades/last_n_minutes": ["from", "to", "minutely"],
  "/top_cryptos_last_hour": ["from", "to", "coins"],
  "/price/current": ["buy", "sell", "exchanges"],
};

const NO_TRADES = "No trades in this window: is the collector running?";
const REFRESH_MS = 60_000;

/** What an answer lacks of REQUIRED, said for the failure note. */
function missingField(path: string): (answer: unknown) => string | undefined {
  return (answer) => {
    const missing = REQUIRED[path]?.find((key) => (answer as Record<string, unknown> | null)?.[key] === undefined);
    return missing === undefined ? undefined : `no "${missing}" in the answer`;
  };
}

interface Section {
  el: HTMLElement;
  head: HTMLElement;
  body: HTMLElement;
  controls: HTMLElement;
  /** Which data, as the failure note names it. */
  what: string;
}

function section(id: string, title: string, what: string): Section {
  const head = h("div", { class: "window" });
  const controls = h("div", { class: "controls" });
  const body = h("div", { class: "stat-body" }, emptyState("Loading…"));
  return { el: h("section", { class: "stat", id }, h("h2", {}, title), controls, head, body), head, body, controls, what };
}

const windowLine = (w: WindowInfo) => `${formatWindow(w.from, w.to)} — ${w.definition}`;

function table(headers: string[], rows: Array<Array<string | number>>, numericFrom = 1): HTMLElement {
  return h(
    "table",
    {},
    h("thead", {}, h("tr", {}, ...headers.map((c, i) => h("th", { class: i >= numericFrom ? "num" : "" }, c)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c, i) => h("td", { class: i >= numericFrom ? "num" : "" }, String(c)))))),
  );
}

export function statsView(root: HTMLElement, ctx: AppContext): View {
  const symbols = () => [...ctx.markets.rows.keys()].sort();
  const s1 = section("stat-transactions", "Trades per coin per hour — last 6 hours, excluding the previous hour", "Trades per coin");
  const s2 = section("stat-volume", "Volume per coin — last 6 hours, excluding the previous hour", "Volume per coin");
  const s3 = section("stat-aggregated", "Trades and volume per hour — last 12 hours, excluding the current hour", "Trades and volume per hour");
  const s4 = section("stat-trades-n", "Trades of one coin — last N minutes, excluding the last minute", "Trades of the last N minutes");
  const s5 = section("stat-top", "Top coins by volume — last hour", "Top coins");
  const s6 = section("stat-price", "Current buy and sell price", "Current buy and sell price");
  const status = h("span", { class: "freshness", id: "stats-freshness" });
  replace(root, h("section", { class: "view stats" }, h("header", { class: "view-head" }, h("h1", {}, "Statistics"), status), h("div", { class: "stats-grid" }, s1.el, s2.el, s3.el, s4.el, s5.el, s6.el)));

  let destroyed = false;
  let answeredAt: number | undefined;
  const showFreshness = (now: number) => {
    // Refetched every minute: two missed rounds mean the figures are out of date.
    const fresh = freshness(answeredAt, now, 2 * REFRESH_MS + 5_000);
    status.textContent = fresh.label;
    status.classList.toggle("stale", fresh.stale);
  };
  const panels: Array<{ tick(now: number): void; destroy(): void }> = [];
  /**
   * One section's answer: loaded, kept through failures (dimmed, with the note
   * saying why and when it is tried again), retried on backoff. `query` is read
   * at every attempt, so a retry asks what the controls say now.
   */
  const panel = <T>(s: Section, path: string, query: () => Query, show: (answer: T) => void): Loader<T> => {
    const note = new LoadNote(s.what, () => loader.retryNow(), s.body);
    s.el.insertBefore(note.el, s.body);
    let shownAt: number | undefined;
    const loader = ctx.loader<T>(
      // An answer of another shape says so, rather than failing somewhere in the drawing.
      (request) => ctx.api.get<T>(path, query(), { ...request, check: missingField(path) }),
      (state) => {
        if (destroyed) return;
        if (state.data !== undefined && state.dataAt !== shownAt) {
          shownAt = state.dataAt;
          answeredAt = Math.max(answeredAt ?? 0, state.dataAt ?? 0);
          showFreshness(Date.now());
          show(state.data);
        } else if (state.data === undefined) {
          // Nothing to keep: "Loading…" while asking, and only the note once it failed.
          replace(s.body, ...(state.failure === undefined ? [emptyState("Loading…")] : []));
        }
        note.update(state, Date.now());
      },
    );
    panels.push({ tick: (now) => note.update(loader.state, now), destroy: () => loader.destroy() });
    return loader;
  };

  const symbolPicker = (id: string, onChange: () => void) => {
    const select = h("select", { id, "aria-label": "symbol" }, ...symbols().map((s) => h("option", { value: s }, s)));
    select.addEventListener("change", onChange);
    return select;
  };

  const transactions = panel<Transactions>(s1, "/transactions/last_6_hours", () => ({}), (a) => {
    s1.head.textContent = windowLine(a);
    if (a.coins.length === 0) return replace(s1.body, emptyState(NO_TRADES));
    replace(
      s1.body,
      barChart(a.coins.map((c) => ({ label: c.symbol, value: c.trades, text: formatInteger(c.trades) })), "trades per coin over the window"),
      table(["symbol", ...a.hours.map((x) => formatUtc(x).slice(11)), "total"], a.coins.map((c) => [c.symbol, ...c.hourly.map((x) => formatInteger(x.trades)), formatInteger(c.trades)])),
    );
  });
  const volume = panel<Volume>(s2, "/volume/last_6_hours", () => ({}), (a) => {
    s2.head.textContent = windowLine(a);
    if (a.coins.length === 0) return replace(s2.body, emptyState(NO_TRADES));
    replace(
      s2.body,
      barChart(a.coins.map((c) => ({ label: c.symbol, value: c.quoteVolume, text: formatCompact(c.quoteVolume) })), "quote volume per coin"),
      table(["symbol", "volume", "quote volume", "trades"], a.coins.map((c) => [c.symbol, formatCompact(c.volume), formatCompact(c.quoteVolume), formatInteger(c.trades)])),
    );
  });
  const aggregated = panel<Aggregated>(s3, "/aggregated_stats/last_12_hours", () => ({}), (a) => {
    s3.head.textContent = windowLine(a);
    if (a.hours.every((x) => x.trades === 0)) return replace(s3.body, emptyState(NO_TRADES));
    replace(
      s3.body,
      barChart(a.hours.map((x) => ({ label: formatUtc(x.hour).slice(11), value: x.trades, text: formatInteger(x.trades) })), "trades per hour (all coins)"),
      barChart(a.hours.map((x) => ({ label: formatUtc(x.hour).slice(11), value: x.quoteVolume, text: formatCompact(x.quoteVolume) })), "quote volume per hour (all coins)"),
      table(["hour (UTC)", "trades", "quote volume", "coins traded"], a.hours.map((x) => [formatUtc(x.hour).slice(11), formatInteger(x.trades), formatCompact(x.quoteVolume), x.coins.length])),
    );
  });

  const minutes = h("input", { id: "stat-minutes", type: "number", min: 1, max: 1440, value: 15, "aria-label": "minutes" });
  const nSymbol = symbolPicker("stat-trades-symbol", () => askTradesN("restart"));
  minutes.addEventListener("change", () => askTradesN("restart"));
  s4.controls.append(nSymbol, " last ", minutes, " minutes");
  const tradesN = panel<TradesLastN>(s4, "/trades/last_n_minutes", () => ({ symbol: nSymbol.value, minutes: minutes.value }), (a) => {
    s4.head.textContent = windowLine(a);
    replace(
      s4.body,
      a.trades === 0
        ? emptyState(`No ${a.symbol} trades in these ${a.minutes} minutes: is the collector running?`)
        : columnChart(a.minutely.map((m) => ({ label: formatUtc(m.minute).slice(11, 16), value: m.trades, text: `${formatInteger(m.trades)} trades` })), `${a.symbol} trades per minute`),
      table(["", "value"], [["trades", formatInteger(a.trades)], ["volume", formatCompact(a.volume)], ["quote volume", formatCompact(a.quoteVolume)], ["minutes with trades", `${a.minutesWithTrades} of ${a.minutes}`]]),
    );
  });

  const askTradesN = (how: "refresh" | "restart") => {
    if (!nSymbol.value) return replace(s4.body, emptyState("No symbols yet: is the collector running?"));
    tradesN[how]();
  };

  const topN = h("input", { id: "stat-top-n", type: "number", min: 1, max: 100, value: 10, "aria-label": "top N" });
  topN.addEventListener("change", () => top.restart());
  s5.controls.append("top ", topN);
  const top = panel<Top>(s5, "/top_cryptos_last_hour", () => ({ top_n: topN.value }), (a) => {
    s5.head.textContent = windowLine(a);
    if (a.coins.length === 0) return replace(s5.body, emptyState(NO_TRADES));
    replace(
      s5.body,
      barChart(a.coins.map((c) => ({ label: `${c.rank}. ${c.symbol}`, value: c.quoteVolume, text: formatCompact(c.quoteVolume) })), "quote volume"),
      table(["rank", "symbol", "quote volume", "volume", "trades"], a.coins.map((c) => [c.rank, c.symbol, formatCompact(c.quoteVolume), formatCompact(c.volume), formatInteger(c.trades)]), 2),
    );
  });

  const pSymbol = symbolPicker("stat-price-symbol", () => askPrice("restart"));
  s6.controls.append(pSymbol);
  const price = panel<Current>(s6, "/price/current", () => ({ symbol: pSymbol.value }), (a) => {
    // The symbol's decimals, as in the overview (its tick size, else the magnitude of its price).
    const d = priceDecimals(ctx.markets.rows.get(pSymbol.value)?.tickSize, a.buy.price);
    s6.head.textContent = `buy = lowest ask, sell = highest bid, across the latest quote of each exchange; as of ${formatUtc(a.asOf)} UTC`;
    replace(
      s6.body,
      h("div", { class: "buysell" }, h("div", {}, "buy ", h("strong", { class: "down" }, formatPrice(a.buy.price, d)), ` on ${a.buy.exchange}`), h("div", {}, "sell ", h("strong", { class: "up" }, formatPrice(a.sell.price, d)), ` on ${a.sell.exchange}`)),
      // Bids and asks differ by basis points, so bars of the prices would all look equal: bars of the spread compare the books.
      barChart(a.exchanges.map((e) => ({ label: e.exchange, value: spreadBps(e), text: `${spreadBps(e).toFixed(1)} bp` })), "spread per exchange (ask − bid, basis points of the mid)"),
      table(["exchange", "bid", "ask", "spread", "quote age"], a.exchanges.map((e) => [e.exchange, formatPrice(e.bid, d), formatPrice(e.ask, d), `${spreadBps(e).toFixed(1)} bp`, `${Math.round(e.ageMs / 1000)} s`])),
    );
  });

  const askPrice = (how: "refresh" | "restart") => {
    if (!pSymbol.value) return replace(s6.body, emptyState("No symbols yet: is the collector running?"));
    price[how]();
  };

  // A refresh leaves alone what is loading or waiting out a failure's backoff.
  const refreshAll = () => {
    transactions.refresh();
    volume.refresh();
    aggregated.refresh();
    askTradesN("refresh");
    top.refresh();
    askPrice("refresh");
  };
  refreshAll();
  const timer = setInterval(refreshAll, REFRESH_MS);
  // Opened before /markets answered: fill the symbol pickers when it does.
  const offMarkets = ctx.markets.changed.on(() => {
    if (nSymbol.options.length > 0 || symbols().length === 0) return;
    for (const select of [nSymbol, pSymbol]) select.replaceChildren(...symbols().map((s) => h("option", { value: s }, s)));
    askTradesN("restart");
    askPrice("restart");
  });
  const offTick = ctx.tick.on((now) => {
    showFreshness(now);
    for (const p of panels) p.tick(now);
  });
  // Back from an outage of the live feed (or of the network): fetch now rather than at the next minute.
  const offReconnected = ctx.reconnected.on(refreshAll);
  return {
    destroy() {
      destroyed = true;
      clearInterval(timer);
      for (const p of panels) p.destroy();
      offMarkets();
      offTick();
      offReconnected();
    },
  };
}
