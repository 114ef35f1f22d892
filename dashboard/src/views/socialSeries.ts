// The sentiment view's social series beside the news: per bucket, posts about
// the coin and their mean sentiment, from GET /social/activity over the same
// range and timeframe as the news chart. Refetched on the coin's social
// refresh messages (at most every 5 s).
import type { AppContext } from "../app.ts";
import { formatUtc } from "../format.ts";
import type { SocialActivityAnswer } from "../../../contracts/api.ts";
import { TIMEFRAME_MS, type Timeframe } from "../../../contracts/timeframes.ts";
import { columnChart, sparkline } from "../ui/charts.ts";
import { emptyState, h, replace } from "../ui/dom.ts";
import { LoadNote } from "../ui/loadNote.ts";
import { activityColumns, correlationSentence, formatScore, sentimentTone } from "../state/social.ts";

const MAX_RANGE_MS = 30 * 86_400_000;

export function socialSeries(ctx: AppContext, coin: string, buckets: number): { el: HTMLElement; setTimeframe(tf: Timeframe): void; destroy(): void } {
  let tf: Timeframe = "1h";
  const body = h("div", { id: "social-series", "data-state": "loading", "data-coin": coin });
  const note = new LoadNote(`Social sentiment of ${coin}`, () => loader.retryNow(), body);
  const el = h("section", { class: "social-series" }, h("h2", {}, `Social posts about ${coin}`), note.el, body);
  let destroyed = false;
  let shownAt: number | undefined;
  const loader = ctx.loader<SocialActivityAnswer>(
    (request) => {
      const to = Date.now();
      const from = to - Math.min(buckets * TIMEFRAME_MS[tf], MAX_RANGE_MS);
      return ctx.api.get<SocialActivityAnswer>("/social/activity", { coin, tf, from: new Date(from).toISOString(), to: new Date(to).toISOString() }, request);
    },
    (state) => {
      if (destroyed) return;
      if (state.data !== undefined && state.dataAt !== shownAt) {
        shownAt = state.dataAt;
        const answer = state.data;
        const withPosts = answer.buckets.filter((b) => b.posts > 0);
        body.dataset.buckets = String(withPosts.length);
        if (withPosts.length === 0) {
          body.dataset.state = "empty";
          replace(body, emptyState(`No posts about ${coin} in this range.`));
        } else {
          body.dataset.state = "ready";
          replace(
            body,
            columnChart(activityColumns(answer.buckets), `posts per ${tf}`),
            h("div", { class: "social-sentiment-line" }, "mean sentiment ", sparkline(withPosts.map((b) => b.sentiment ?? 0), `mean sentiment of posts about ${coin} per ${tf}`, "", 240, 32)),
            h("p", { class: "hint" }, `${correlationSentence("Activity", answer.correlation.activity)} ${correlationSentence("Sentiment", answer.correlation.sentiment)}`),
            h(
              "table",
              { class: "social-buckets" },
              h("thead", {}, h("tr", {}, ...["bucket (UTC)", "posts", "authors (≈)", "positive", "negative", "mean sentiment"].map((c) => h("th", {}, c)))),
              h(
                "tbody",
                {},
                ...[...withPosts].reverse().slice(0, 24).map((b) =>
                  h("tr", {}, h("td", {}, formatUtc(b.t)), h("td", { class: "num" }, b.posts), h("td", { class: "num" }, b.authors), h("td", { class: "num" }, b.positive), h("td", { class: "num" }, b.negative), h("td", { class: `num ${sentimentTone(b.sentiment)}` }, formatScore(b.sentiment))),
                ),
              ),
            ),
          );
        }
      } else if (state.data === undefined && state.failure !== undefined) {
        body.dataset.state = "error";
      }
      note.update(state, Date.now());
    },
  );
  let pending: ReturnType<typeof setTimeout> | undefined;
  const offRefresh = ctx.socialRefresh.on((refreshed) => {
    if (refreshed !== coin || pending !== undefined) return;
    pending = setTimeout(() => {
      pending = undefined;
      loader.refresh();
    }, 5_000);
  });
  const offReconnected = ctx.reconnected.on(() => loader.refresh());
  const offTick = ctx.tick.on((now) => note.update(loader.state, now));
  loader.refresh();
  return {
    el,
    setTimeframe(next) {
      tf = next;
      loader.restart();
    },
    destroy() {
      destroyed = true;
      loader.destroy();
      clearTimeout(pending);
      offRefresh();
      offReconnected();
      offTick();
    },
  };
}
