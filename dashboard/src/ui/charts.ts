// Inline SVG sparkline and column charts, CSS bar charts: no chart library on the overview or the statistics.
import { barFractions, sparklinePath } from "./svgPath.ts";
import { h } from "./dom.ts";

const SVG = "http://www.w3.org/2000/svg";

/**
 * A sparkline of `values` (oldest first) coloured by `tone`: a line from two points,
 * a dot at the right for one (only the current price is known), and a written
 * placeholder instead of an empty box for none.
 */
export function sparkline(values: readonly number[], label: string, tone: "up" | "down" | "", width = 96, height = 28): Element {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return h("span", { class: "sparkline-none", title: label }, "no trades in 24 h");
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("class", `sparkline ${tone}`);
  svg.dataset.points = String(finite.length);
  if (finite.length === 1) {
    const dot = document.createElementNS(SVG, "circle");
    dot.setAttribute("cx", String(width - 3));
    dot.setAttribute("cy", String(height / 2));
    dot.setAttribute("r", "2.5");
    svg.appendChild(dot);
  } else {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", sparklinePath(finite, width, height));
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

/** Vertical columns for a time series (hours, minutes): one per item, each titled with its label and value. */
export function columnChart(items: readonly BarItem[], caption: string, width = 480, height = 96): HTMLElement {
  const fractions = barFractions(items.map((i) => i.value));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("class", "columns");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", caption);
  const step = width / Math.max(1, items.length);
  items.forEach((item, i) => {
    const rect = document.createElementNS(SVG, "rect");
    const barHeight = Math.max(fractions[i]! > 0 ? 1 : 0, fractions[i]! * height);
    rect.setAttribute("x", (i * step + step * 0.1).toFixed(2));
    rect.setAttribute("width", Math.max(0.5, step * 0.8).toFixed(2));
    rect.setAttribute("y", (height - barHeight).toFixed(2));
    rect.setAttribute("height", barHeight.toFixed(2));
    rect.setAttribute("class", "column");
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${item.label}: ${item.text}`;
    rect.appendChild(title);
    svg.appendChild(rect);
  });
  const first = items[0];
  const last = items[items.length - 1];
  return h(
    "figure",
    { class: "column-chart" },
    h("figcaption", {}, caption),
    svg,
    first && last ? h("div", { class: "column-axis" }, h("span", {}, first.label), h("span", {}, last.label)) : null,
  );
}
