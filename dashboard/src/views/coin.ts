// Coin view: candlesticks + volume for one symbol and timeframe (the current candle
// moves with price-feed data messages), the coin's latest news beside it, whether
// the store holds every trade of the last 24 h, and the coin's social activity.
import type { AppContext, View } from "../app.ts";
import { ApiError } from "../api.ts";
import { formatChange, formatPrice } from "../format.ts";
import { formatRoute } from "../router.ts";
import { freshness, MARKET_STALE_MS } from "../staleness.ts";
import { liveCandlesFor, mergeLiveBar, toBar, type Bar } from "../state/candles.ts";
import { changeTone, rowDecimals } from "../state/markets.ts";
import { baseOf } from "../state/symbols.ts";
import { type CandlesAnswer, type NewsAnswer } from "../../../contracts/api.ts";
import { type Timeframe } from "../../../contracts/timeframes.ts";
import { TIMEFRAME_MS } from "../../../contracts/timeframes.ts";
import { TIMEFRAMES } from "../../../contracts/timeframes.ts";
import type { CandleChart } from "../ui/candleChart.ts";
import { emptyState, h, replace } from "../ui/dom.ts";
import { LoadNote } from "../ui/loadNote.ts";
import { completenessPanel } from "./completenessPanel.ts";
import { articleCard } from "./newsList.ts";
import { socialPanel } from "./socialPanel.ts";

/** Candles requested per timeframe. */
const CANDLES = 300;
/** How long a refresh may go without its data message before the chart reloads from the API. */
const RELOAD_AFTER_MS = 3_000;

export function coinView(root: HTMLElement, ctx: AppContext, symbol: string, tf: Timeframe): View {
  const coin = baseOf(symbol);
  const price = h("span", { class: "price", id: "coin-price" });
  const change = h("span", { class: "change" });
  const status = h("span", { class: "freshness" });
  const chartEl = h("div", { id: "candle-chart", class: "chart", "data-state": "loading", "data-tf": tf, "data-symbol": symbol, role: "img", "aria-label": `${symbol} ${tf} candlesticks with volume` });
  const chartEmpty = h("div");
  const candlesNote = new LoadNote(`${symbol} ${tf} candles`, () => candles.retryNow(), chartEl);
  const chartNote = h("div", { class: "chart-note" }, candlesNote.el, chartEmpty);
  // A panel as tall as the chart that scrolls; its link to all news stays in view at the bottom.
  const newsEl = h("div", { class: "coin-news", id: "coin-news", "aria-live": "polite" }, emptyState("Loading news…"));
  const newsNote = new LoadNote(`News about ${coin}`, () => news.retryNow(), newsEl);
  const completeness = completenessPanel(ctx, symbol, coin);
  const social = socialPanel(ctx, coin, tf);
  replace(
    root,
    h(
      "section",
      { class: "view coin" },
      h("header", { class: "view-head" }, h("h1", {}, symbol), price, change, status, completeness.badge),
      h("nav", { class: "timeframes", "aria-label": "timeframe" }, ...TIMEFRAMES.map((t) =>
        h("a", { href: formatRoute({ view: "coin", symbol, tf: t }), class: t === tf ? "active" : "", "data-tf": t, "aria-current": t === tf ? "true" : undefined }, t),
      )),
      h("div", { class: "coin-grid" }, h("div", { class: "chart-wrap" }, chartEl, chartNote), h("aside", { class: "coin-aside" }, h("h2", {}, `Latest news about ${coin}`), newsNote.el, newsEl)),
      // Completeness and social activity under the chart and news, full width: the news panel keeps the chart's height.
      completeness.el,
      social.el,
    ),
  );

  let destroyed = false;
  let chart: CandleChart | undefined;
  let bars: Bar[] = [];
  let lastUpdate: number | undefined;

  let decimals: number | undefined;
  const header = (now: number) => {
    const row = ctx.markets.rows.get(symbol);
    // Same rule as the overview: price and change coloured by the sign of the 24 h change.
    const tone = changeTone(row?.change24h);
    if (row) decimals = rowDecimals(row);
    price.textContent = formatPrice(row?.last, decimals);
    price.className = `price ${tone}`;
    if (row) price.dataset.price = String(row.last);
    change.textContent = formatChange(row?.change24h);
    change.className = `change ${tone}`;
    if (decimals !== undefined) chart?.setDecimals(decimals);
    const fresh = freshness(lastUpdate ?? row?.updatedAtMs, now, MARKET_STALE_MS);
    status.textContent = fresh.label;
    status.classList.toggle("stale", fresh.stale);
  };

  const showBars = () => {
    chartEl.dataset.bars = String(bars.length);
    const last = bars[bars.length - 1];
    if (last) chartEl.dataset.lastClose = String(last.close);
  };

  type CandlesLoad = { kind: "candles"; answer: CandlesAnswer; mod: typeof import("../ui/candleChart.ts") } | { kind: "unknown-symbol" };
  let candlesShownAt: number | undefined;
  const drawCandles = (loaded: CandlesLoad) => {
    if (loaded.kind === "unknown-symbol") {
      chartEl.dataset.state = "error";
      chartEmpty.replaceChildren(emptyState(`No data for ${symbol}: the store has never seen this symbol.`));
      return;
    }
    const { answer, mod } = loaded;
    bars = answer.candles.map(toBar);
    // The data's own age, not the fetch's: old candles fetched now are still old.
    const newest = answer.candles[answer.candles.length - 1];
    const dataAt = newest ? (newest.closeTime ?? newest.bucketStart) : undefined;
    if (dataAt !== undefined) lastUpdate = Math.max(lastUpdate ?? 0, dataAt);
    if (bars.length === 0) {
      chartEl.dataset.state = "empty";
      chartEmpty.replaceChildren(emptyState(`No ${tf} candles for ${symbol} in ${answer.from} – ${answer.to}: is the collector running?`));
    } else {
      chartEmpty.replaceChildren();
    }
    // Fitted on the first draw only: a reload keeps what the user zoomed to.
    const fit = chart === undefined;
    chart ??= mod.createCandleChart(chartEl, decimals ?? rowDecimals(ctx.markets.rows.get(symbol)));
    chart.setBars(bars, fit);
    showBars();
    if (bars.length > 0) chartEl.dataset.state = "ready";
  };
  const candles = ctx.loader<CandlesLoad>(
    async (request) => {
      const to = Date.now();
      const from = to - CANDLES * TIMEFRAME_MS[tf];
      try {
        const [answer, mod] = await Promise.all([ctx.api.get<CandlesAnswer>("/candles", { symbol, tf, from, to }, request), import("../ui/candleChart.ts")]);
        return { kind: "candles", answer, mod };
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return { kind: "unknown-symbol" };
        throw error;
      }
    },
    (state) => {
      if (destroyed) return;
      if (state.data !== undefined && state.dataAt !== candlesShownAt) {
        candlesShownAt = state.dataAt;
        drawCandles(state.data);
      } else if (state.data === undefined && state.failure !== undefined) {
        chartEl.dataset.state = "error";
      }
      candlesNote.update(state, Date.now());
    },
  );

  let newsShownAt: number | undefined;
  const news = ctx.loader<NewsAnswer>(
    (request) => ctx.api.get<NewsAnswer>("/news", { tag: coin, limit: 12 }, request),
    (state) => {
      if (destroyed) return;
      if (state.data !== undefined && state.dataAt !== newsShownAt) {
        newsShownAt = state.dataAt;
        const answer = state.data;
        const now = Date.now();
        if (answer.articles.length === 0) replace(newsEl, emptyState(`No news tagged ${coin} yet.`, "Articles arrive from the news scrapers or the ingest webhook."));
        else replace(newsEl, ...answer.articles.map((a) => articleCard(a, now)), h("div", { class: "more" }, h("a", { href: formatRoute({ view: "news", tag: coin }) }, `All news about ${coin} →`)));
      } else if (state.data === undefined && state.failure !== undefined) {
        replace(newsEl); // the note says why
      }
      newsNote.update(state, Date.now());
    },
  );

  // A refresh says the coin's candles changed; its data message normally follows at
  // once. If none comes (e.g. it was over the broker's size limit), reload from the API.
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  const offRefresh = ctx.priceRefresh.on((refreshed) => {
    if (refreshed !== coin || reloadTimer !== undefined) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = undefined;
      candles.refresh();
    }, RELOAD_AFTER_MS);
  });
  const offPrice = ctx.priceData.on((data) => {
    if (data.coin !== coin) return;
    clearTimeout(reloadTimer);
    reloadTimer = undefined;
    if (!chart || chartEl.dataset.state === "loading") return;
    for (const bar of liveCandlesFor(data, symbol, tf)) {
      const merged = mergeLiveBar(bars, bar);
      if (merged.kind === "ignore") continue;
      bars = merged.bars;
      chart.updateBar(merged.bar);
      lastUpdate = Date.now();
      chartEl.dataset.state = "ready";
      chartEmpty.replaceChildren();
    }
    showBars();
    header(Date.now());
  });
  const offNews = ctx.sentimentRefresh.on((tag) => {
    if (tag === coin) news.refresh();
  });
  const offMarkets = ctx.markets.changed.on(() => header(Date.now()));
  // Back from an outage: candles and news published meanwhile are only in the API.
  const offReconnected = ctx.reconnected.on(() => {
    candles.refresh();
    news.refresh();
  });
  const offTick = ctx.tick.on((now) => {
    header(now);
    candlesNote.update(candles.state, now);
    newsNote.update(news.state, now);
  });
  header(Date.now());
  candles.refresh();
  news.refresh();
  return {
    destroy() {
      destroyed = true;
      candles.destroy();
      news.destroy();
      offPrice();
      offRefresh();
      clearTimeout(reloadTimer);
      offNews();
      offMarkets();
      offReconnected();
      offTick();
      chart?.destroy();
      completeness.destroy();
      social.destroy();
    },
  };
}
