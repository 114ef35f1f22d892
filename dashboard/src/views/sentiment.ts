// Sentiment per tag over time, next to the coin's price: mean score per bucket
// (histogram) under the price line, and the counts per label in a table.
import type { AppContext, View } from "../app.ts";
import { formatPrice, formatUtc } from "../format.ts";
import { freshness } from "../staleness.ts";
import { liveCandlesFor } from "../state/candles.ts";
import { rowDecimals } from "../state/markets.ts";
import { baseOf, quoteOf } from "../state/symbols.ts";
import { type CandlesAnswer, type NewsAnswer, type SentimentAnswer } from "../../../contracts/api.ts";
import { TIMEFRAME_MS, type Timeframe } from "../../../contracts/timeframes.ts";
import { emptyState, h, replace } from "../ui/dom.ts";
import { LoadNote } from "../ui/loadNote.ts";
import { socialSeries } from "./socialSeries.ts";

const TFS: Timeframe[] = ["1h", "4h", "1d"];
const BUCKETS = 168;
const QUOTE_PREFERENCE = ["USDT", "USD", "USDC"];

/** The symbol whose price goes with a tag: BTC → BTCUSDT (or BTCUSD…). */
export function symbolForTag(tag: string, symbols: Iterable<string>): string | undefined {
  const candidates = [...symbols].filter((s) => baseOf(s) === tag.toUpperCase());
  candidates.sort((a, b) => rank(quoteOf(a)) - rank(quoteOf(b)) || a.localeCompare(b));
  return candidates[0];
}
const rank = (quote: string) => {
  const i = QUOTE_PREFERENCE.indexOf(quote);
  return i < 0 ? QUOTE_PREFERENCE.length : i;
};

export function sentimentView(root: HTMLElement, ctx: AppContext, requestedTag?: string): View {
  const tags = [...new Set([...ctx.markets.rows.keys()].map(baseOf))].sort();
  const tag = requestedTag ?? tags[0] ?? "BTC";
  let tf: Timeframe = "1h";
  const chartEl = h("div", { id: "sentiment-chart", class: "chart", "data-state": "loading", role: "img", "aria-label": `sentiment of ${tag} news over time, under the ${tag} price` });
  const status = h("span", { class: "freshness", id: "sentiment-freshness" });
  const note = h("div", { class: "chart-note" });
  // Which price the line is, and its latest value: the coin view's price of the same symbol.
  const priceLabel = h("span", { class: "price-label", id: "sentiment-price" });
  const table = h("div", { id: "sentiment-table" });
  const tagSelect = h("select", { id: "sentiment-tag", "aria-label": "tag" });
  const known = new Set([...tags, tag]);
  const fillTags = () => replace(tagSelect, ...[...known].sort().map((t) => h("option", { value: t, selected: t === tag }, t)));
  fillTags();
  tagSelect.addEventListener("change", () => ctx.navigate({ view: "sentiment", tag: tagSelect.value }));
  const tfSelect = h("select", { "aria-label": "timeframe" }, ...TFS.map((t) => h("option", { value: t, selected: t === tf }, t)));
  tfSelect.addEventListener("change", () => {
    tf = tfSelect.value as Timeframe;
    loader.restart();
    social.setTimeframe(tf);
  });
  const loadNote = new LoadNote(`Sentiment of ${tag}`, () => loader.retryNow(), chartEl);
  // Posts are tagged with coins only: a coin's social series beside its news.
  const social = socialSeries(ctx, tag.toUpperCase(), BUCKETS);
  replace(
    root,
    h(
      "section",
      { class: "view sentiment" },
      h("header", { class: "view-head" }, h("h1", {}, `Sentiment: ${tag}`), status),
      h("div", { class: "filters" }, h("label", {}, "Tag ", tagSelect), h("label", {}, "Bucket ", tfSelect), priceLabel),
      h("div", { class: "chart-wrap" }, chartEl, loadNote.el, note),
      table,
      social.el,
    ),
  );

  let destroyed = false;
  let chart: import("../ui/candleChart.ts").SentimentChart | undefined;
  /** The symbol drawn, and the time (s) and value of its newest point. */
  let shown: { symbol: string; time: number; value: number } | undefined;
  const showPrice = () => {
    if (!shown) return replace(priceLabel);
    const decimals = rowDecimals(ctx.markets.rows.get(shown.symbol));
    replace(priceLabel, "price ", h("strong", {}, shown.symbol), ` ${formatPrice(shown.value, decimals)}`);
    priceLabel.dataset.symbol = shown.symbol;
    priceLabel.dataset.price = String(shown.value);
  };
  let fetchedAt: number | undefined;
  // Refetched on every refresh message for the tag: the label says when that last happened.
  const updateStatus = (now: number) => {
    status.textContent = fetchedAt === undefined ? "" : freshness(fetchedAt, now, Number.POSITIVE_INFINITY).label;
  };

  interface Loaded {
    symbol: string | undefined;
    sentiment: SentimentAnswer;
    candles: CandlesAnswer | undefined;
    mod: typeof import("../ui/candleChart.ts");
  }
  const draw = ({ symbol, sentiment, candles, mod }: Loaded) => {
    chart?.destroy();
    chart = undefined;
    const points = sentiment.buckets.map((b) => ({ time: Math.floor(Date.parse(b.start) / 1000), meanScore: b.meanScore, count: b.count }));
    const prices = (candles?.candles ?? []).map((c) => ({ time: Math.floor(c.bucketStart / 1000), value: c.close }));
    const notes: HTMLElement[] = [];
    if (points.length === 0) notes.push(emptyState(`No sentiment for ${tag} yet: no article tagged ${tag} was stored in this range.`));
    if (!symbol) notes.push(emptyState(`No price for ${tag}: no market symbol with base ${tag}.`));
    else if (prices.length === 0) notes.push(emptyState(`No ${tf} candles for ${symbol} in this range: is the collector running?`));
    replace(note, ...notes);
    chartEl.dataset.state = points.length + prices.length > 0 ? "ready" : "empty";
    chartEl.dataset.buckets = String(points.length);
    const decimals = symbol ? rowDecimals(ctx.markets.rows.get(symbol)) : 2;
    if (points.length + prices.length > 0) chart = mod.createSentimentChart(chartEl, prices, points, decimals);
    const newest = prices[prices.length - 1];
    shown = symbol && newest ? { symbol, ...newest } : undefined;
    showPrice();
    const recent = [...sentiment.buckets].reverse().slice(0, 24);
    replace(
      table,
      recent.length === 0
        ? null
        : h(
            "table",
            { class: "sentiment-buckets" },
            h("thead", {}, h("tr", {}, ...["bucket (UTC)", "articles", "positive", "neutral", "negative", "mean score"].map((c) => h("th", {}, c)))),
            h(
              "tbody",
              {},
              ...recent.map((b) =>
                h(
                  "tr",
                  {},
                  h("td", {}, formatUtc(b.start)),
                  h("td", { class: "num" }, b.count),
                  h("td", { class: "num" }, b.positive),
                  h("td", { class: "num" }, b.neutral),
                  h("td", { class: "num" }, b.negative),
                  h("td", { class: `num ${b.meanScore > 0 ? "up" : b.meanScore < 0 ? "down" : ""}` }, b.meanScore.toFixed(2)),
                ),
              ),
            ),
          ),
    );
  };

  const loader = ctx.loader<Loaded>(
    async (request) => {
      const to = Date.now();
      const from = to - BUCKETS * TIMEFRAME_MS[tf];
      const symbol = symbolForTag(tag, ctx.markets.rows.keys());
      const [sentiment, candles, mod] = await Promise.all([
        ctx.api.get<SentimentAnswer>("/sentiment", { tag, tf, from: new Date(from).toISOString(), to: new Date(to).toISOString() }, request),
        // The price beside it is a bonus: without it the chart still shows the sentiment.
        symbol ? ctx.api.get<CandlesAnswer>("/candles", { symbol, tf, from, to }, { signal: request.signal }).catch(() => undefined) : Promise.resolve(undefined),
        import("../ui/candleChart.ts"),
      ]);
      return { symbol, sentiment, candles, mod };
    },
    (state) => {
      if (destroyed) return;
      if (state.data !== undefined && state.dataAt !== fetchedAt) {
        fetchedAt = state.dataAt;
        updateStatus(Date.now());
        draw(state.data);
      } else if (state.data === undefined && state.failure !== undefined) {
        chartEl.dataset.state = "error";
      }
      loadNote.update(state, Date.now());
    },
  );

  let pending: ReturnType<typeof setTimeout> | undefined;
  const offRefresh = ctx.sentimentRefresh.on((refreshed) => {
    if (refreshed !== tag) return;
    clearTimeout(pending);
    pending = setTimeout(() => loader.refresh(), 300);
  });
  // Sentiment is kept per tag, not only per coin: offer the tags recent articles carry too.
  void ctx.api.get<NewsAnswer>("/news", { limit: 100 }).then(
    (answer) => {
      if (destroyed) return;
      const before = known.size;
      for (const a of answer.articles) for (const t of [...a.coins, ...a.tags]) known.add(t);
      if (known.size > before) fillTags();
    },
    () => undefined, // the picker keeps the coins; the chart reports its own errors
  );
  const offTick = ctx.tick.on((now) => {
    updateStatus(now);
    loadNote.update(loader.state, now);
  });
  // The current bucket's price moves with the same live candles as the coin view's
  // chart: without this the line kept the price of the last sentiment refresh, minutes
  // (and hundreds of dollars) behind the coin view.
  const offPrice = ctx.priceData.on((data) => {
    if (!chart || !shown || data.coin !== baseOf(shown.symbol)) return;
    for (const bar of liveCandlesFor(data, shown.symbol, tf)) {
      if (bar.time < shown.time) continue; // the chart cannot rewrite older points
      chart.updatePrice({ time: bar.time, value: bar.close });
      shown = { symbol: shown.symbol, time: bar.time, value: bar.close };
    }
    showPrice();
  });
  // Back from an outage: refreshes sent meanwhile were not heard.
  const offReconnected = ctx.reconnected.on(() => loader.refresh());
  // Opened before /markets answered, the price's symbol was not known yet: ask again once it is.
  const offMarkets = ctx.markets.changed.on(() => {
    const data = loader.state.data;
    if (data && data.symbol === undefined && symbolForTag(tag, ctx.markets.rows.keys())) loader.refresh();
  });
  loader.refresh();
  return {
    destroy() {
      destroyed = true;
      loader.destroy();
      clearTimeout(pending);
      offTick();
      offReconnected();
      offRefresh();
      offPrice();
      offMarkets();
      social.destroy();
      chart?.destroy();
    },
  };
}
