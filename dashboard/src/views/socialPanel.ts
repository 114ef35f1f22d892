// The coin view's social panel: posts per bucket as columns under the candles
// (authors and mean sentiment in each column's title), the lagged correlation
// with returns, and the latest posts with their sentiment. Live through the
// coin's social topics: a data message adds its posts at once (and, with 1m
// buckets, its minutes); otherwise the activity is refetched, at most every 5 s.
import type { AppContext } from "../app.ts";
import { formatAge } from "../format.ts";
import type { SocialActivityAnswer, SocialAnswer, SocialPostItem } from "../../../contracts/api.ts";
import type { SocialActivityBucket } from "../../../contracts/social.ts";
import { TIMEFRAME_MS, type Timeframe } from "../../../contracts/timeframes.ts";
import { columnChart } from "../ui/charts.ts";
import { emptyState, h, replace } from "../ui/dom.ts";
import { LoadNote } from "../ui/loadNote.ts";
import { activityColumns, applyLiveMinutes, correlationSentence, formatScore, mergeLatestPosts, POSTS_SHOWN, sentimentTone } from "../state/social.ts";

/** Buckets shown; the API merges at most 31 days of minutes per request. */
const BUCKETS = 60;
const MAX_RANGE_MS = 30 * 86_400_000;
const RELOAD_GAP_MS = 5_000;

export function activityRange(tf: Timeframe, now: number): { from: string; to: string } {
  return { from: new Date(now - Math.min(BUCKETS * TIMEFRAME_MS[tf], MAX_RANGE_MS)).toISOString(), to: new Date(now).toISOString() };
}

export function socialPostRow(p: SocialPostItem, now: number): HTMLElement {
  const tone = sentimentTone(p.sentiment.score);
  return h(
    "li",
    { class: "social-post", "data-post-id": p.id },
    h("span", { class: `badge sentiment sentiment-${p.sentiment.label}`, "data-sentiment": p.sentiment.label, title: `sentiment score ${formatScore(p.sentiment.score)} in [-1, 1]` }, `${p.sentiment.label} ${formatScore(p.sentiment.score)}`),
    " ",
    h("span", { class: `social-text ${tone}` }, p.text.length > 280 ? `${p.text.slice(0, 279)}…` : p.text),
    h("div", { class: "meta" }, `${p.authorHandle ?? p.authorId} · ${p.source} · `, h("time", { datetime: p.createdAt, title: p.createdAt }, formatAge(Date.parse(p.createdAt), now))),
  );
}

export function socialPanel(ctx: AppContext, coin: string, tf: Timeframe): { el: HTMLElement; destroy(): void } {
  const chartEl = h("div", { id: "social-activity", class: "social-activity", "data-state": "loading", "data-coin": coin, "data-tf": tf });
  const correlationEl = h("p", { class: "social-correlation hint" });
  const postsEl = h("ul", { id: "social-posts", class: "social-posts", "aria-live": "polite" });
  const activityNote = new LoadNote(`Social activity of ${coin}`, () => activity.retryNow(), chartEl);
  const postsNote = new LoadNote(`Posts about ${coin}`, () => posts.retryNow(), postsEl);
  const el = h(
    "section",
    { class: "social-panel", "aria-label": `social activity of ${coin}` },
    h("h2", {}, `Social: ${coin}`),
    chartEl,
    activityNote.el,
    correlationEl,
    h("h3", {}, `Latest posts about ${coin}`),
    postsNote.el,
    postsEl,
  );

  let destroyed = false;
  let buckets: SocialActivityBucket[] = [];
  let shown: SocialPostItem[] = [];
  const drawActivity = () => {
    chartEl.dataset.buckets = String(buckets.length);
    chartEl.dataset.posts = String(buckets.reduce((n, b) => n + b.posts, 0));
    if (buckets.every((b) => b.posts === 0)) {
      chartEl.dataset.state = "empty";
      replace(chartEl, emptyState(`No posts about ${coin} in this range.`, "Posts arrive from collect-social (Bluesky Jetstream, or X with a token)."));
      return;
    }
    chartEl.dataset.state = "ready";
    replace(chartEl, columnChart(activityColumns(buckets), `posts about ${coin} per ${tf} (hover: authors, sentiment)`));
  };
  const drawPosts = (now: number) => {
    postsEl.dataset.count = String(shown.length);
    if (shown.length === 0) replace(postsEl, emptyState(`No posts about ${coin} yet.`));
    else replace(postsEl, ...shown.map((p) => socialPostRow(p, now)));
  };

  let activityAt: number | undefined;
  const activity = ctx.loader<SocialActivityAnswer>(
    (request) => ctx.api.get<SocialActivityAnswer>("/social/activity", { coin, tf, ...activityRange(tf, Date.now()) }, request),
    (state) => {
      if (destroyed) return;
      if (state.data !== undefined && state.dataAt !== activityAt) {
        activityAt = state.dataAt;
        buckets = state.data.buckets;
        drawActivity();
        correlationEl.textContent = `${correlationSentence("Activity", state.data.correlation.activity)} ${correlationSentence("Sentiment", state.data.correlation.sentiment)}`;
      } else if (state.data === undefined && state.failure !== undefined) {
        chartEl.dataset.state = "error";
      }
      activityNote.update(state, Date.now());
    },
  );
  let postsAt: number | undefined;
  const posts = ctx.loader<SocialAnswer>(
    (request) => ctx.api.get<SocialAnswer>("/social", { coin, limit: POSTS_SHOWN }, request),
    (state) => {
      if (destroyed) return;
      if (state.data !== undefined && state.dataAt !== postsAt) {
        postsAt = state.dataAt;
        shown = mergeLatestPosts(shown, state.data.posts);
        drawPosts(Date.now());
      }
      postsNote.update(state, Date.now());
    },
  );

  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  let lastReload = 0;
  const reloadSoon = () => {
    if (reloadTimer !== undefined) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = undefined;
      lastReload = Date.now();
      activity.refresh();
    }, Math.max(300, lastReload + RELOAD_GAP_MS - Date.now()));
  };
  const offData = ctx.socialData.on((data) => {
    if (data.coin !== coin) return;
    shown = mergeLatestPosts(shown, data.posts);
    drawPosts(Date.now());
    const next = applyLiveMinutes(buckets, data, tf);
    if (next === "reload") reloadSoon();
    else {
      buckets = next;
      drawActivity();
    }
  });
  // A refresh without its data message (over the broker's size limit): refetch.
  const offRefresh = ctx.socialRefresh.on((refreshed) => {
    if (refreshed === coin) reloadSoon();
  });
  const offReconnected = ctx.reconnected.on(() => {
    activity.refresh();
    posts.refresh();
  });
  const offTick = ctx.tick.on((now) => {
    activityNote.update(activity.state, now);
    postsNote.update(posts.state, now);
  });
  activity.refresh();
  posts.refresh();
  return {
    el,
    destroy() {
      destroyed = true;
      activity.destroy();
      posts.destroy();
      clearTimeout(reloadTimer);
      offData();
      offRefresh();
      offReconnected();
      offTick();
    },
  };
}
