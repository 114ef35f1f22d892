// Start-up: read config.json, sign in if needed, connect the live feed, route.
import "./style.css";
import { parseGapTopic, parseTopic, priceFeedFilter, sentimentFilter, socialFilter } from "../../contracts/topics.ts";
import { ApiClient } from "./api.ts";
import { Emitter, MarketStore, type AppContext, type LoaderFactory, type View } from "./app.ts";
import { createSession, type Session } from "./auth/session.ts";
import { mqttCredentials, parseConfig, type DashboardConfig } from "../../contracts/dashboardConfig.ts";
import { LiveConnection, type ConnectionState } from "./live/liveConnection.ts";
import { ApiHealth } from "./request/apiHealth.ts";
import { startApiProbe } from "./request/apiProbe.ts";
import { fetchWithin } from "./request/fetchWithin.ts";
import { Loader, type LoaderDeps } from "./request/loader.ts";
import { formatRoute, parseRoute, type Route } from "./router.ts";
import { renderConnection } from "./ui/connectionBadge.ts";
import { errorBox, h, replace } from "./ui/dom.ts";
import { coinView } from "./views/coin.ts";
import { newsView } from "./views/news.ts";
import { overviewView } from "./views/overview.ts";
import { sentimentView } from "./views/sentiment.ts";
import { statsView } from "./views/stats.ts";
import type { PriceFeedData, SocialData } from "../../contracts/api.ts";
import type { GapNotification } from "../../contracts/completeness.ts";
import { parseGapEvent } from "./state/completeness.ts";

// Every coin's refresh, data and gap messages; the sentiment view only needs to know when to refetch.
const PRICE_FILTER = priceFeedFilter();
const SENTIMENT_FILTER = sentimentFilter(undefined, "refresh");
const SOCIAL_FILTER = socialFilter();

async function loadConfig(): Promise<DashboardConfig> {
  // Beside index.html, whatever the bucket path; never cached (it changes per start).
  const url = new URL("config.json", location.href).toString();
  let answer: { ok: boolean; status: number; body: unknown };
  try {
    answer = await fetchWithin(url, { cache: "no-store" }, async (r) => ({ ok: r.ok, status: r.status, body: r.ok ? await r.json() : undefined }));
  } catch (error) {
    throw new Error(`GET ${url} failed: ${(error as Error).message}`);
  }
  if (!answer.ok) throw new Error(`GET ${url} failed: HTTP ${answer.status} (config.json is written when the dashboard is uploaded)`);
  return parseConfig(answer.body);
}

function shell(session: Session) {
  // A status region: screen readers hear "reconnecting" and "live" as they happen.
  const conn = h("span", { id: "connection", class: "connection", "data-state": "connecting", role: "status", "aria-live": "polite" }, "connecting…");
  const nav = h(
    "nav",
    { class: "main-nav" },
    h("a", { href: "#/", "data-view": "overview" }, "Markets"),
    h("a", { href: "#/news", "data-view": "news" }, "News"),
    h("a", { href: "#/sentiment", "data-view": "sentiment" }, "Sentiment"),
    h("a", { href: "#/stats", "data-view": "stats" }, "Statistics"),
  );
  const user = h(
    "span",
    { class: "user" },
    session.user ?? "",
    session.signOut ? h("button", { type: "button", onclick: () => void session.signOut!() }, "sign out") : null,
  );
  const main = h("main", { id: "view" });
  document.body.replaceChildren(h("header", { class: "top" }, h("a", { class: "brand", href: "#/" }, "CryptoViz"), nav, h("span", { class: "spacer" }), conn, user), main);
  return { conn, nav, main };
}

function signInScreen(session: Session): void {
  const problem = h("div", {});
  const signIn = () => session.signIn!().catch((error: unknown) => replace(problem, errorBox(error, signIn)));
  document.body.replaceChildren(
    h("main", { class: "signin" }, h("h1", {}, "CryptoViz"), h("p", {}, "Sign in to see the dashboard."), h("button", { type: "button", id: "sign-in", onclick: () => void signIn() }, "Sign in"), problem),
  );
}

async function start(): Promise<void> {
  const config = await loadConfig();
  const session = await createSession(config.auth);
  if (session.needsSignIn) return signInScreen(session);

  const { conn, nav, main } = shell(session);
  const health = new ApiHealth();
  const api = new ApiClient({
    baseUrl: config.apiUrl,
    token: session.token,
    onUnauthorized: () => {
      // Expired or revoked: forget it and sign in again (dev and none modes show the 401 where it happened).
      if (session.forget) {
        session.forget();
        signInScreen(session);
      }
    },
    onSettled: (source, error) => health.settle(source, error),
  });
  // Moments when whatever failed is worth trying at once rather than at its next
  // backoff: the network is back, the tab is looked at again, the API answered again.
  const wake = new Emitter<void>();
  window.addEventListener("online", () => wake.emit());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") wake.emit();
  });
  health.recovered.on(() => wake.emit());
  const loaderDeps: LoaderDeps = {
    wake: (listener) => wake.on(listener),
    release: (source) => health.release(source),
    isOnline: () => navigator.onLine !== false,
  };
  const loader: LoaderFactory = (load, onChange) => new Loader(load, onChange, loaderDeps);
  const ctx: AppContext = {
    config,
    api,
    session,
    health,
    loader,
    markets: new MarketStore(api, loader),
    priceData: new Emitter<PriceFeedData>(),
    priceRefresh: new Emitter<string>(),
    priceGap: new Emitter<GapNotification>(),
    sentimentRefresh: new Emitter<string>(),
    socialData: new Emitter<SocialData>(),
    socialRefresh: new Emitter<string>(),
    reconnected: new Emitter<void>(),
    tick: new Emitter<number>(),
    navigate: (route: Route) => {
      location.hash = formatRoute(route);
    },
  };

  let connection: ConnectionState = { kind: "connecting" };
  let everLive = false;
  const live = new LiveConnection({
    url: config.mqttUrl,
    ...mqttCredentials(config, () => session.token()),
    filters: [PRICE_FILTER, SENTIMENT_FILTER, SOCIAL_FILTER],
    onState: (state) => {
      const wasLive = connection.kind === "live";
      connection = state;
      renderConnection(conn, state, health.status(), Date.now());
      // Back after an outage: what was missed is only in the API.
      if (state.kind === "live" && !wasLive && everLive) {
        ctx.markets.refreshSoon(0);
        ctx.reconnected.emit();
      }
      if (state.kind === "live") everLive = true;
    },
    onMessage: (topic, payload) => {
      const parsed = parseTopic(topic);
      if (!parsed) {
        // notify/gap arrives under the same price-feed filter; anything malformed is dropped.
        const gap = parseGapTopic(topic) !== null ? parseGapEvent(payload) : undefined;
        if (gap) ctx.priceGap.emit(gap);
        return;
      }
      if (parsed.feed === "price-feed") {
        if (parsed.kind === "data") {
          const data = payload as PriceFeedData;
          ctx.markets.applyLive(data);
          ctx.priceData.emit(data);
        } else {
          ctx.markets.refreshSoon();
          ctx.priceRefresh.emit(parsed.coin);
        }
      } else if (parsed.feed === "social") {
        if (parsed.kind === "data") ctx.socialData.emit(payload as SocialData);
        else ctx.socialRefresh.emit(parsed.coin);
      } else if (parsed.kind === "refresh") {
        ctx.sentimentRefresh.emit(parsed.tag);
      }
    },
  });
  window.addEventListener("pagehide", () => live.close());
  health.changed.on((status) => renderConnection(conn, connection, status, Date.now()));
  startApiProbe(api, health, loaderDeps);

  let view: View | undefined;
  const route = () => {
    view?.destroy();
    const r = parseRoute(location.hash);
    for (const a of nav.querySelectorAll("a")) {
      const current = a.dataset.view === (r.view === "coin" ? "overview" : r.view);
      a.classList.toggle("active", current);
      if (current) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    try {
      switch (r.view) {
        case "overview":
          view = overviewView(main, ctx);
          break;
        case "coin":
          view = coinView(main, ctx, r.symbol, r.tf);
          break;
        case "news":
          view = newsView(main, ctx, r.tag, r.q);
          break;
        case "sentiment":
          view = sentimentView(main, ctx, r.tag);
          break;
        case "stats":
          view = statsView(main, ctx);
          break;
      }
    } catch (error) {
      view = undefined;
      replace(main, errorBox(error));
    }
  };
  window.addEventListener("hashchange", route);
  setInterval(() => {
    const now = Date.now();
    ctx.tick.emit(now);
    if (connection.kind === "reconnecting" || connection.kind === "offline") renderConnection(conn, connection, health.status(), now);
  }, 1000);
  route();
  ctx.markets.start();
}

start().catch((error: unknown) => {
  document.body.replaceChildren(h("main", { class: "fatal" }, h("h1", {}, "CryptoViz could not start"), errorBox(error, () => location.reload())));
});
