// Market overview: every symbol with last price, 24 h change, volume, sparkline and
// best bid/ask; sortable; moved live by price-feed data messages.
import type { AppContext, View } from "../app.ts";
import { formatChange, formatCompact, formatPrice } from "../format.ts";
import { formatRoute } from "../router.ts";
import { freshness, MARKET_STALE_MS } from "../staleness.ts";
import { changeTone, nextSort, rowDecimals, sortMarkets, sparklineOf, tickFlash, type SortKey, type SortOrder } from "../state/markets.ts";
import { sparkline } from "../ui/charts.ts";
import { emptyState, h, replace } from "../ui/dom.ts";
import { LoadNote } from "../ui/loadNote.ts";

const COLUMNS: Array<{ key: SortKey | null; label: string; numeric?: boolean }> = [
  { key: "symbol", label: "Symbol" },
  { key: "last", label: "Last", numeric: true },
  { key: "change24h", label: "24 h", numeric: true },
  { key: null, label: "24 h high / low", numeric: true },
  { key: "volume24h", label: "Volume 24 h", numeric: true },
  { key: "quoteVolume24h", label: "Quote vol. 24 h", numeric: true },
  { key: null, label: "Last 24 h" },
  { key: null, label: "Bid / Ask", numeric: true },
  { key: null, label: "Updated" },
];

/** Best bid and ask across exchanges; a bid above the ask means the exchanges' books disagree, which is said rather than shown as a normal spread. */
function bidAskCell(bid: number | undefined, ask: number | undefined, decimals: number): HTMLElement {
  const crossed = bid !== undefined && ask !== undefined && bid > ask;
  return h(
    "td",
    { class: `num bidask ${crossed ? "crossed" : ""}`, ...(crossed ? { title: "crossed: one exchange bids above another's ask (an arbitrage window, or a quote not yet updated)" } : {}) },
    `${formatPrice(bid, decimals)} / ${formatPrice(ask, decimals)}`,
    crossed ? h("span", { class: "crossed-mark" }, " crossed") : null,
  );
}

/** A sort button's content: the label, and the arrow of the sorted column before a right-aligned label or after a left-aligned one. */
function sortLabel(label: string, dir: "asc" | "desc" | undefined, numeric: boolean): Array<HTMLElement | string> {
  if (dir === undefined) return [label];
  const arrow = h("span", { class: "sort-arrow", "aria-hidden": "true" }, dir === "asc" ? "▲" : "▼");
  return numeric ? [arrow, label] : [label, arrow];
}

let order: SortOrder = { key: "quoteVolume24h", dir: "desc" };

export function overviewView(root: HTMLElement, ctx: AppContext): View {
  const status = h("span", { class: "freshness", id: "markets-freshness" });
  const body = h("div", { id: "overview-body" });
  // Outside the body, which is redrawn with every live price: the note's alert is read out once per reason.
  const note = new LoadNote("Market figures", () => ctx.markets.loader.retryNow(), body);
  note.el.id = "markets-note";
  replace(root, h("section", { class: "view overview" }, h("header", { class: "view-head" }, h("h1", {}, "Markets"), status), note.el, body));
  let frame = 0;

  const ageCells = new Map<string, HTMLElement>();
  // The table and its header stay in place while the rows are redrawn on every live
  // price: a header rebuilt under the pointer loses a click (mousedown and mouseup land
  // on different buttons) and the keyboard focus. The header is rebuilt only when the
  // order changes.
  let table: { el: HTMLElement; head: HTMLElement; body: HTMLElement; order: typeof order } | undefined;
  const buildHead = () =>
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...COLUMNS.map((c) => {
          const sorted = c.key !== null && order.key === c.key;
          return h(
            "th",
            {
              class: `${c.numeric ? "num" : ""} ${c.key ? "sortable" : ""} ${sorted ? `sorted-${order.dir}` : ""}`,
              ...(sorted ? { "aria-sort": order.dir === "asc" ? "ascending" : "descending" } : {}),
              ...(c.key ? { "data-sort": c.key } : {}),
            },
            // A button, so the keyboard can sort too. The arrow is inside it, beside the
            // label on the side facing the column's values, never past the cell's edge.
            c.key ? h("button", { type: "button", class: "sort", onclick: () => { order = nextSort(order, c.key!); render(); } }, ...sortLabel(c.label, sorted ? order.dir : undefined, c.numeric === true)) : c.label,
          );
        }),
      ),
    );
  const render = () => {
    frame = 0;
    const { markets } = ctx;
    ageCells.clear();
    const now = Date.now();
    const load = markets.loader.state;
    note.update(load, now);
    if (markets.rows.size === 0) {
      // A failure is said by the note; before any answer, say that one is awaited.
      table = undefined;
      if (load.failure !== undefined) return replace(body);
      if (!markets.loaded) return replace(body, emptyState("Loading markets…"));
      return replace(body, emptyState("No market data yet: is the collector running?", "Prices appear once collect-market or the ingest webhook has stored trades (npm run demo collects from the local market simulator)."));
    }
    const rows = sortMarkets(markets.rows.values(), order).map((m) => {
      const fresh = freshness(m.updatedAtMs, now, MARKET_STALE_MS);
      const age = h("td", { class: `age ${fresh.stale ? "stale" : ""}` }, fresh.label.replace(/^updated /, ""));
      ageCells.set(m.symbol, age);
      const link = formatRoute({ view: "coin", symbol: m.symbol, tf: "1h" });
      const decimals = rowDecimals(m);
      const tone = changeTone(m.change24h);
      // The last price and the 24 h change share one colour (changeTone); the latest
      // live move only flashes behind the price, continuing across redraws.
      const flash = tickFlash(m, now);
      const last = h("td", { class: `num last ${tone} ${flash ? `flash-${flash.dir}` : ""}`, ...(flash ? { style: `animation-delay:-${flash.elapsedMs}ms` } : {}) }, formatPrice(m.last, decimals));
      return h(
        "tr",
        { "data-symbol": m.symbol, "data-decimals": String(decimals) },
        h("td", {}, h("a", { href: link }, m.symbol)),
        last,
        h("td", { class: `num change ${tone}` }, formatChange(m.change24h)),
        h("td", { class: "num highlow" }, `${formatPrice(m.high24h, decimals)} / ${formatPrice(m.low24h, decimals)}`),
        h("td", { class: "num" }, formatCompact(m.volume24h)),
        h("td", { class: "num" }, formatCompact(m.quoteVolume24h)),
        h("td", { class: "spark" }, sparkline(sparklineOf(m), `${m.symbol} over the last 24 h`, tone)),
        bidAskCell(m.bid, m.ask, decimals),
        age,
      );
    });
    if (!table || !body.contains(table.el)) {
      const head = buildHead();
      const tbody = h("tbody", {});
      table = { el: h("table", { class: "markets" }, head, tbody), head, body: tbody, order };
      replace(body, table.el);
    } else if (table.order !== order) {
      // The sort button that was pressed keeps the keyboard focus in the new header.
      const focusedKey = document.activeElement?.closest("th")?.getAttribute("data-sort");
      const head = buildHead();
      table.head.replaceWith(head);
      table.head = head;
      table.order = order;
      if (focusedKey) head.querySelector<HTMLButtonElement>(`th[data-sort="${focusedKey}"] button`)?.focus();
    }
    replace(table.body, ...rows);
    updateStatus(now);
  };

  const updateStatus = (now: number) => {
    const { markets } = ctx;
    const latest = Math.max(markets.fetchedAt ?? -Infinity, markets.liveAt ?? -Infinity);
    const fresh = freshness(Number.isFinite(latest) ? latest : undefined, now, MARKET_STALE_MS);
    status.textContent = fresh.label;
    status.classList.toggle("stale", fresh.stale);
  };

  const schedule = () => {
    frame ||= requestAnimationFrame(render);
  };
  const offChanged = ctx.markets.changed.on(schedule);
  const offTick = ctx.tick.on((now) => {
    updateStatus(now);
    note.update(ctx.markets.loader.state, now);
    for (const [symbol, cell] of ageCells) {
      const row = ctx.markets.rows.get(symbol);
      if (!row) continue;
      const fresh = freshness(row.updatedAtMs, now, MARKET_STALE_MS);
      cell.textContent = fresh.label.replace(/^updated /, "");
      cell.classList.toggle("stale", fresh.stale);
    }
  });
  render();
  return {
    destroy() {
      offChanged();
      offTick();
      cancelAnimationFrame(frame);
    },
  };
}
