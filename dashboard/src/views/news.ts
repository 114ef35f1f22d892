// News feed: filter by tag, search by text; new articles appear when a
// `sentiment/<TAG>/notify/refresh` message says news for a tag was stored.
import type { AppContext, View } from "../app.ts";
import { formatRoute } from "../router.ts";
import { freshness } from "../staleness.ts";
import { baseOf } from "../state/symbols.ts";
import type { NewsAnswer } from "../../../contracts/api.ts";
import { emptyState, h, replace } from "../ui/dom.ts";
import { LoadNote } from "../ui/loadNote.ts";
import { articleCard } from "./newsList.ts";

const LIMIT = 50;
/** Articles arrive rarely; the freshness label is informative, never "stale". */
const NEWS_STALE_MS = Number.POSITIVE_INFINITY;

export function newsView(root: HTMLElement, ctx: AppContext, tag?: string, q?: string): View {
  const status = h("span", { class: "freshness", id: "news-freshness" });
  const list = h("div", { class: "news-list", id: "news-list", "data-state": "loading" }, emptyState("Loading news…"));
  const note = new LoadNote("News", () => loader.retryNow(), list);
  const tagSelect = h("select", { id: "news-tag", "aria-label": "tag" });
  const search = h("input", { id: "news-search", type: "search", placeholder: "search titles and text", value: q ?? "", "aria-label": "search" });
  const go = (next: { tag?: string; q?: string }) =>
    ctx.navigate({ view: "news", ...(next.tag ? { tag: next.tag } : {}), ...(next.q ? { q: next.q } : {}) });
  tagSelect.addEventListener("change", () => go({ tag: tagSelect.value || undefined, q: search.value.trim() || undefined }));
  let typing: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => go({ tag, q: search.value.trim() || undefined }), 400);
  });
  replace(
    root,
    h(
      "section",
      { class: "view news" },
      h("header", { class: "view-head" }, h("h1", {}, "News"), status),
      h("div", { class: "filters" }, h("label", {}, "Tag ", tagSelect), h("label", {}, "Search ", search), tag || q ? h("a", { href: formatRoute({ view: "news" }) }, "clear filters") : null),
      note.el,
      list,
    ),
  );

  let destroyed = false;
  let seen: Set<string> | undefined;
  let fetchedAt: number | undefined;
  const tags = new Set<string>(tag ? [tag] : []);

  const fillTags = () => {
    for (const row of ctx.markets.rows.keys()) tags.add(baseOf(row));
    const options = [...tags].sort();
    replace(tagSelect, h("option", { value: "" }, "all tags"), ...options.map((t) => h("option", { value: t, selected: t === tag }, t)));
  };

  const draw = (answer: NewsAnswer) => {
    for (const a of answer.articles) for (const t of [...a.coins, ...a.tags]) tags.add(t);
    fillTags();
    const now = Date.now();
    const previously = seen;
    seen = new Set(answer.articles.map((a) => a.id));
    if (answer.articles.length === 0) {
      list.dataset.state = "empty";
      const filtered = tag || q;
      replace(
        list,
        filtered
          ? emptyState(`No articles${tag ? ` tagged ${tag}` : ""}${q ? ` matching "${q}"` : ""}.`)
          : emptyState("No news yet: is a news scraper or the ingest webhook feeding the pipeline?", "POST /ingest/news or run the scrapers; articles appear here as soon as consume-news stores them."),
      );
    } else {
      list.dataset.state = "ready";
      replace(
        list,
        h("div", { class: "count" }, `${answer.total} article${answer.total === 1 ? "" : "s"}${answer.total > answer.articles.length ? `, newest ${answer.articles.length} shown` : ""}`),
        ...answer.articles.map((a) => articleCard(a, now, previously !== undefined && !previously.has(a.id))),
      );
    }
  };

  const loader = ctx.loader<NewsAnswer>(
    (request) => ctx.api.get<NewsAnswer>("/news", { tag, q, limit: LIMIT }, request),
    (state) => {
      if (destroyed) return;
      if (state.data !== undefined && state.dataAt !== fetchedAt) {
        fetchedAt = state.dataAt;
        draw(state.data);
      } else if (state.data === undefined && state.failure !== undefined) {
        // Nothing to keep: the note says what failed.
        list.dataset.state = "error";
        replace(list);
      }
      note.update(state, Date.now());
      updateStatus(Date.now());
    },
  );

  const updateStatus = (now: number) => {
    status.textContent = fetchedAt === undefined ? "" : freshness(fetchedAt, now, NEWS_STALE_MS).label;
  };

  let pending: ReturnType<typeof setTimeout> | undefined;
  const offRefresh = ctx.sentimentRefresh.on((refreshed) => {
    if (tag && refreshed !== tag) return;
    // Several tags of one batch notify at once: one refetch.
    clearTimeout(pending);
    pending = setTimeout(() => loader.refresh(), 300);
  });
  const offTick = ctx.tick.on((now) => {
    updateStatus(now);
    note.update(loader.state, now);
  });
  // Back from an outage: articles stored meanwhile sent refreshes no one heard.
  const offReconnected = ctx.reconnected.on(() => loader.refresh());
  fillTags();
  loader.refresh();
  return {
    destroy() {
      destroyed = true;
      loader.destroy();
      clearTimeout(pending);
      clearTimeout(typing);
      offRefresh();
      offTick();
      offReconnected();
    },
  };
}
