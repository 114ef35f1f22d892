// One article as a card: title, source and time, sentiment badge, summary, keywords, coin tags.
import { formatAge } from "../format.ts";
import { formatRoute } from "../router.ts";
import type { Article } from "../../../contracts/api.ts";
import { h } from "../ui/dom.ts";

export function sentimentBadge(article: Article): HTMLElement | null {
  const s = article.sentiment;
  if (!s) return h("span", { class: "badge sentiment-pending", title: "no sentiment computed for this article" }, "no sentiment");
  const score = `${s.score >= 0 ? "+" : "−"}${Math.abs(s.score).toFixed(2)}`;
  return h("span", { class: `badge sentiment sentiment-${s.label}`, "data-sentiment": s.label, title: `sentiment score ${score} in [-1, 1]` }, `${s.label} ${score}`);
}

export function articleCard(a: Article, now: number, fresh = false): HTMLElement {
  const tags = [...new Set([...a.coins, ...a.tags])];
  return h(
    "article",
    { class: `news-item ${fresh ? "fresh" : ""}`, "data-article-id": a.id },
    h(
      "header",
      {},
      h("a", { class: "title", href: a.url, target: "_blank", rel: "noopener noreferrer" }, a.title),
      " ",
      sentimentBadge(a),
    ),
    h("div", { class: "meta" }, `${a.source}${a.author ? ` · ${a.author}` : ""} · `, h("time", { datetime: a.publishedAt, title: a.publishedAt }, formatAge(Date.parse(a.publishedAt), now))),
    a.summary ? h("p", { class: "summary" }, a.summary) : null,
    a.keywords.length > 0 ? h("div", { class: "keywords" }, ...a.keywords.slice(0, 8).map((k) => h("span", { class: "chip" }, k))) : null,
    tags.length > 0 ? h("div", { class: "tags" }, ...tags.map((t) => h("a", { class: "chip tag", href: formatRoute({ view: "news", tag: t }) }, t))) : null,
  );
}
