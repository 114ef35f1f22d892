// The candlestick + volume chart (lightweight-charts), loaded on demand so that the
// overview's first visit does not download the chart library.
import { CandlestickSeries, ColorType, createChart, HistogramSeries, LineSeries, type IChartApi, type UTCTimestamp } from "lightweight-charts";
import type { Bar } from "../state/candles.ts";

export const UP = "#26a69a";
export const DOWN = "#ef5350";
// Opaque: the volume has a pane of its own, nothing to see through to.
export const UP_VOLUME = "#1f6e67";
export const DOWN_VOLUME = "#8c3a39";

/** The browser's locale if Intl accepts it: some report POSIX forms such as "en-US@posix", which make the chart throw. */
function safeLocale(): string {
  try {
    return Intl.NumberFormat.supportedLocalesOf([navigator.language])[0] ?? "en-US";
  } catch {
    return "en-US";
  }
}

function baseChart(el: HTMLElement): IChartApi {
  return createChart(el, {
    localization: { locale: safeLocale() },
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: "#121826" }, textColor: "#b8c2d6", attributionLogo: true },
    grid: { vertLines: { color: "#1e2638" }, horzLines: { color: "#1e2638" } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: "#2a3550" },
    rightPriceScale: { borderColor: "#2a3550" },
  });
}

export interface CandleChart {
  /** All bars; `fit` rescales the time axis (off when reloading what the user may have zoomed). */
  setBars(bars: readonly Bar[], fit?: boolean): void;
  /** The current candle moved, or a new one started. */
  updateBar(bar: Bar): void;
  /** Prices on the axis and labels with the symbol's decimals. */
  setDecimals(decimals: number): void;
  destroy(): void;
}

const volumeBar = (b: Bar) => ({ time: b.time as UTCTimestamp, value: b.volume, color: b.close >= b.open ? UP_VOLUME : DOWN_VOLUME });
const candleBar = (b: Bar) => ({ time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close });
const priceFormat = (decimals: number) => ({ type: "price" as const, precision: decimals, minMove: 10 ** -decimals });

/**
 * Candles above, volume below in a pane of its own: an overlay on the candles' pane
 * put the volume bars under the lowest candles and beside price labels that were not theirs.
 * The panes are marked (data-pane) so that a test can tell where each series was drawn.
 */
export function createCandleChart(el: HTMLElement, decimals = 2): CandleChart {
  const chart = baseChart(el);
  const candles = chart.addSeries(CandlestickSeries, { upColor: UP, downColor: DOWN, borderVisible: false, wickUpColor: UP, wickDownColor: DOWN, priceFormat: priceFormat(decimals) }, 0);
  candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.04 } });
  const volume = chart.addSeries(HistogramSeries, { priceFormat: { type: "volume" }, lastValueVisible: false, priceLineVisible: false }, 1);
  volume.priceScale().applyOptions({ scaleMargins: { top: 0.1, bottom: 0 } });
  const [pricePane, volumePane] = chart.panes();
  pricePane?.setStretchFactor(4);
  volumePane?.setStretchFactor(1);
  // A pane's element exists once the chart has laid it out.
  const markPanes = () => {
    pricePane?.getHTMLElement()?.setAttribute("data-pane", "price");
    volumePane?.getHTMLElement()?.setAttribute("data-pane", "volume");
  };
  markPanes();
  requestAnimationFrame(markPanes);
  return {
    setBars(bars, fit = true) {
      candles.setData(bars.map(candleBar));
      volume.setData(bars.map(volumeBar));
      if (fit) chart.timeScale().fitContent();
      requestAnimationFrame(markPanes);
    },
    updateBar(bar) {
      candles.update(candleBar(bar));
      volume.update(volumeBar(bar));
    },
    setDecimals(d) {
      candles.applyOptions({ priceFormat: priceFormat(d) });
    },
    destroy: () => chart.remove(),
  };
}

export interface SentimentPoint {
  time: number;
  meanScore: number;
  count: number;
}

export interface SentimentChart {
  /** The price of the bucket starting at `time` (seconds) moved, or a new bucket started. */
  updatePrice(point: { time: number; value: number }): void;
  destroy(): void;
}

/** Price (line, pane 0, with the symbol's decimals) above mean sentiment per bucket (histogram, pane 1). */
export function createSentimentChart(
  el: HTMLElement,
  prices: ReadonlyArray<{ time: number; value: number }>,
  sentiment: readonly SentimentPoint[],
  decimals = 2,
): SentimentChart {
  const chart = baseChart(el);
  const price = chart.addSeries(LineSeries, { color: "#7aa2f7", lineWidth: 2, priceFormat: priceFormat(decimals) }, 0);
  price.setData(prices.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
  const score = chart.addSeries(
    HistogramSeries,
    { priceFormat: { type: "price", precision: 2, minMove: 0.01 }, lastValueVisible: false, priceLineVisible: false },
    1,
  );
  score.setData(sentiment.map((s) => ({ time: s.time as UTCTimestamp, value: s.meanScore, color: s.meanScore >= 0 ? UP : DOWN })));
  const panes = chart.panes();
  panes[1]?.setHeight(Math.max(80, Math.round(el.clientHeight * 0.35)));
  chart.timeScale().fitContent();
  return {
    updatePrice: (p) => price.update({ time: p.time as UTCTimestamp, value: p.value }),
    destroy: () => chart.remove(),
  };
}
