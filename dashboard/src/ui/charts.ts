// Inline SVG sparkline and CSS bar charts: no chart library on the overview or the statistics.
import { barFractions, sparklinePath } from "./svgPath.ts";
import { h } from "./dom.ts";

const SVG = "http://www.w3.org/2000/svg";

export function sparkline(values: readonly number[], width = 96, height = 28): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("class", "sparkline");
  const d = sparklinePath(values, width, height);
  if (d) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    const first = values.find((v) => Number.isFinite(v)) ?? 0;
    const last = [...values].reverse().find((v) => Number.isFinite(v)) ?? 0;
    path.setAttribute("class", last >= first ? "up" : "down");
    svg.appendChild(path);
  }
  return svg;
}

export interface BarItem {
  label: string;
  value: number;
  /** Shown at the end of the bar. */
  text: string;
}

export function barChart(items: readonly BarItem[], caption: string): HTMLElement {
  const fractions = barFractions(items.map((i) => i.value));
  return h(
    "figure",
    { class: "bars" },
    h("figcaption", {}, caption),
    ...items.map((item, i) =>
      h(
        "div",
        { class: "bar-row" },
        h("span", { class: "bar-label" }, item.label),
        h("span", { class: "bar-track" }, h("span", { class: "bar", style: `width:${(fractions[i]! * 100).toFixed(1)}%` })),
        h("span", { class: "bar-value" }, item.text),
      ),
    ),
  );
}
