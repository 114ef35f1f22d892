// The dashboard's pure parts: formatting, staleness, backoff, routing, config
// validation, symbols, the inline-chart geometry, and how failed API requests are
// retried, worded and counted against the connection badge's "live".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "../../contracts/dashboardConfig.ts";
import { formatAge, formatChange, formatCompact, formatPrice, formatWindow, magnitudeDecimals, priceDecimals, tickDecimals } from "../../dashboard/src/format.ts";
import { changeTone, rowDecimals, sparklineOf, tickFlash, TICK_FLASH_MS } from "../../dashboard/src/state/markets.ts";
import { backoffDelay } from "../../dashboard/src/live/backoff.ts";
import { formatRoute, parseRoute } from "../../dashboard/src/router.ts";
import { freshness } from "../../dashboard/src/staleness.ts";
import { baseOf } from "../../dashboard/src/state/symbols.ts";
import { barFractions, sparklinePath } from "../../dashboard/src/ui/svgPath.ts";
import { connectionText } from "../../dashboard/src/ui/connectionBadge.ts";
import { ApiError, apiUnavailable, badgeSummary, describeFailure, retryable } from "../../dashboard/src/request/apiError.ts";
import { ApiHealth, type ApiStatus } from "../../dashboard/src/request/apiHealth.ts";
import { REQUEST_TIMEOUT_MS } from "../../dashboard/src/request/fetchWithin.ts";
import { retryDelay } from "../../dashboard/src/request/retrySchedule.ts";
import { failureSentence, retryStatus } from "../../dashboard/src/ui/loadNote.ts";
import type { LoadState } from "../../dashboard/src/request/loader.ts";

describe("formatting", () => {
  it("keeps meaningful digits at any price magnitude", () => {
    assert.equal(formatPrice(64123.456), "64,123.46");
    assert.equal(formatPrice(1.23456789), "1.2346");
    assert.equal(formatPrice(0.0123456), "0.012346");
    assert.equal(formatPrice(0.000012345), "0.00001235");
    assert.equal(formatPrice(undefined), "–");
    assert.equal(formatPrice(NaN), "–");
  });
  it("counts a tick size's decimals, binary fractions and all", () => {
    assert.equal(tickDecimals(0.01), 2);
    assert.equal(tickDecimals(0.05), 2);
    assert.equal(tickDecimals(0.1), 1);
    assert.equal(tickDecimals(0.5), 1);
    assert.equal(tickDecimals(1), 0);
    assert.equal(tickDecimals(10), 0);
    assert.equal(tickDecimals(0.00001), 5);
    assert.equal(tickDecimals(1e-8), 8);
  });
  it("falls back to about five significant digits, 2 to 8 decimals, when the tick size is unknown", () => {
    assert.equal(magnitudeDecimals(98_220.09), 2);
    assert.equal(magnitudeDecimals(209.6572), 2);
    assert.equal(magnitudeDecimals(22.1), 3);
    assert.equal(magnitudeDecimals(2.3), 4);
    assert.equal(magnitudeDecimals(0.38), 5);
    assert.equal(magnitudeDecimals(0.0000123), 8);
    assert.equal(magnitudeDecimals(NaN), 2);
    assert.equal(magnitudeDecimals(0), 2);
  });
  it("shows every price of a symbol with the same decimals: its tick size's, else its reference price's", () => {
    assert.equal(priceDecimals(0.1, 98_000), 1, "the tick size wins over the magnitude");
    assert.equal(priceDecimals(undefined, 209.6572), 2);
    assert.equal(priceDecimals(0, 2.3), 4, "a zero step is no step");
    const sol = priceDecimals(0.01, 209.6572);
    assert.deepEqual([209.6572, 210, 208.1].map((p) => formatPrice(p, sol)), ["209.66", "210.00", "208.10"]);
    assert.equal(formatPrice(98_220.09, priceDecimals(0.01, 98_220.09)), "98,220.09");
    assert.equal(formatPrice(97_518.43, priceDecimals(0.1, 97_518.43)), "97,518.4");
    assert.equal(formatPrice(3_538.321, priceDecimals(0.05, 3_538.321)), "3,538.32");
  });
  it("takes a row's decimals from its tick size, else from its 24 h open (stable while the price moves)", () => {
    assert.equal(rowDecimals({ tickSize: 0.0001, last: 2.31, open24h: 2.2 }), 4);
    assert.equal(rowDecimals({ last: 999.9, open24h: 1_000.5 }), 2);
    assert.equal(rowDecimals({ last: 2.31, open24h: NaN }), 4, "a row only seen live: its last price");
    assert.equal(rowDecimals(undefined), 2);
  });
  it("signs changes and compacts volumes", () => {
    assert.equal(formatChange(0.01234), "+1.23 %");
    assert.equal(formatChange(-0.5), "−50.00 %");
    assert.equal(formatChange(0), "0.00 %");
    assert.equal(formatChange(NaN), "–");
    assert.equal(formatCompact(1_234_567), "1.23M");
    assert.equal(formatCompact(999.456), "999.46");
    assert.equal(formatCompact(2.5e9), "2.50B");
  });
  it("says how old something is", () => {
    const now = 1_800_000_000_000;
    assert.equal(formatAge(now - 500, now), "just now");
    assert.equal(formatAge(now - 42_000, now), "42 s ago");
    assert.equal(formatAge(now - 5 * 60_000, now), "5 min ago");
    assert.equal(formatAge(now - 3 * 3_600_000, now), "3 h ago");
    assert.equal(formatAge(now - 3 * 86_400_000, now), "3 d ago");
    assert.equal(formatAge(now + 5000, now), "just now", "a clock slightly ahead is not 'in the future'");
  });
  it("writes half-open UTC windows", () => {
    assert.equal(formatWindow("2026-11-22T09:00:00.000Z", "2026-11-22T15:00:00.000Z"), "[2026-11-22 09:00, 15:00) UTC");
    assert.equal(formatWindow("2026-11-21T22:00:00.000Z", "2026-11-22T04:00:00.000Z"), "[2026-11-21 22:00, 2026-11-22 04:00) UTC");
  });
});

describe("price colours and the sparkline", () => {
  it("colours a price by the sign of its 24 h change, the one rule the last price and the change share", () => {
    assert.equal(changeTone(0.012), "up");
    assert.equal(changeTone(-0.003), "down");
    assert.equal(changeTone(0), "");
    assert.equal(changeTone(NaN), "");
    assert.equal(changeTone(undefined), "");
  });
  it("flashes the latest live move for a while, whatever the 24 h change", () => {
    const t = 1_800_000_000_000;
    assert.deepEqual(tickFlash({ tick: "down", tickAt: t }, t + 300), { dir: "down", elapsedMs: 300 });
    assert.equal(tickFlash({ tick: "down", tickAt: t }, t + TICK_FLASH_MS), undefined, "over");
    assert.equal(tickFlash({}, t), undefined, "no live move yet");
  });
  it("draws the sparkline from the 24 h open through every hourly close there is", () => {
    assert.deepEqual(sparklineOf({ open24h: 100, sparkline: [101] }), [100, 101], "one hourly candle is already a line");
    assert.deepEqual(sparklineOf({ open24h: 100, sparkline: [99, 102, 101] }), [100, 99, 102, 101]);
    assert.deepEqual(sparklineOf({ open24h: NaN, sparkline: [101] }), [101], "a row only seen live: its price");
    assert.deepEqual(sparklineOf({ open24h: 100, sparkline: [] }), [], "no candle in 24 h: nothing to draw");
    assert.match(sparklinePath(sparklineOf({ open24h: 100, sparkline: [101] }), 96, 28), /^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/);
  });
});

describe("staleness", () => {
  const now = 1_800_000_000_000;
  it("labels the age and marks stale past the threshold", () => {
    assert.deepEqual(freshness(now - 42_000, now, 60_000), { label: "updated 42 s ago", stale: false });
    assert.deepEqual(freshness(now - 61_000, now, 60_000), { label: "updated 61 s ago (stale)", stale: true });
    assert.deepEqual(freshness(now - 600_000, now, 60_000), { label: "updated 10 min ago (stale)", stale: true });
    assert.deepEqual(freshness(undefined, now, 60_000), { label: "never updated", stale: true });
  });
});

describe("reconnect backoff", () => {
  const opts = { initialMs: 500, maxMs: 30_000, jitter: 0.5 };
  it("doubles per attempt up to the cap, without jitter at random() = 0", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20, 100].map((a) => backoffDelay(a, opts, () => 0)), [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });
  it("jitters within [d × (1 − jitter), d]", () => {
    for (let attempt = 1; attempt < 10; attempt++) {
      const full = backoffDelay(attempt, opts, () => 0);
      const low = backoffDelay(attempt, opts, () => 0.999999);
      assert.ok(low >= Math.floor(full / 2) && low <= full, `attempt ${attempt}: ${low} within [${full / 2}, ${full}]`);
    }
    assert.equal(backoffDelay(0, opts, () => 0), 500, "attempt 0 counts as the first");
  });
  it("is shown in the connection badge", () => {
    const ok = { kind: "ok", at: 0 } as const;
    assert.equal(connectionText({ kind: "live", since: 0 }, ok, 0).text, "live");
    const r = connectionText({ kind: "reconnecting", attempt: 3, retryAt: 10_500, reason: "connection closed" }, ok, 8_000);
    assert.equal(r.text, "reconnecting in 3 s");
    assert.match(r.title, /connection closed.*attempt 3/);
    assert.equal(connectionText({ kind: "offline", reason: "the browser is offline" }, ok, 0).title, "the browser is offline");
    assert.equal(connectionText({ kind: "offline", reason: "connection refused (6 attempts)", retryAt: 20_000 }, ok, 0).text, "offline, retry in 20 s");
  });
});

describe("routes", () => {
  it("parses and formats every view", () => {
    assert.deepEqual(parseRoute(""), { view: "overview" });
    assert.deepEqual(parseRoute("#/"), { view: "overview" });
    assert.deepEqual(parseRoute("#/coin/btcusdt?tf=5m"), { view: "coin", symbol: "BTCUSDT", tf: "5m" });
    assert.deepEqual(parseRoute("#/coin/BTCUSDT?tf=7m"), { view: "coin", symbol: "BTCUSDT", tf: "1h" }, "unknown timeframe → default");
    assert.deepEqual(parseRoute("#/coin/../x"), { view: "overview" });
    assert.deepEqual(parseRoute("#/news?tag=BTC&q=etf%20inflows"), { view: "news", tag: "BTC", q: "etf inflows" });
    assert.deepEqual(parseRoute("#/sentiment?tag=ETH"), { view: "sentiment", tag: "ETH" });
    assert.deepEqual(parseRoute("#/stats"), { view: "stats" });
    for (const hash of ["#/", "#/coin/BTCUSDT?tf=1w", "#/news?tag=BTC&q=etf+inflows", "#/news", "#/sentiment?tag=SOL", "#/stats"]) {
      assert.equal(formatRoute(parseRoute(hash)), hash);
    }
  });
});

describe("config.json", () => {
  const base = { apiUrl: "http://127.0.0.1:3000/", mqttUrl: "ws://127.0.0.1:9001/mqtt" };
  it("accepts the three auth modes and trims trailing slashes", () => {
    assert.deepEqual(parseConfig({ ...base, auth: { mode: "none" } }), { apiUrl: "http://127.0.0.1:3000", mqttUrl: "ws://127.0.0.1:9001/mqtt", auth: { mode: "none" } });
    assert.deepEqual(parseConfig({ ...base, mqttUsername: "dashboard", mqttPassword: "p", auth: { mode: "dev", token: "t", user: "dev" } }).auth, { mode: "dev", token: "t", user: "dev" });
    assert.deepEqual(parseConfig({ ...base, auth: { mode: "oidc", issuer: "https://id.example.com/realms/cv/", clientId: "dash" } }).auth, {
      mode: "oidc", issuer: "https://id.example.com/realms/cv", clientId: "dash",
    });
    assert.deepEqual(parseConfig(base).auth, { mode: "none" }, "auth defaults to none");
    assert.equal(parseConfig({ ...base, apiUrl: "/api" }).apiUrl, "/api", "a path on the page's origin (dev server proxy)");
  });
  it("names the field at fault", () => {
    assert.throws(() => parseConfig([]), /config.json: \(root\) must be a JSON object/);
    assert.throws(() => parseConfig({ ...base, apiUrl: "" }), /apiUrl must be a non-empty string/);
    assert.throws(() => parseConfig({ ...base, mqttUrl: "mqtt://x:1883" }), /mqttUrl must use ws: or wss:/);
    assert.throws(() => parseConfig({ ...base, auth: { mode: "dev", user: "x" } }), /auth.token must be a non-empty string/);
    assert.throws(() => parseConfig({ ...base, auth: { mode: "saml" } }), /auth.mode must be "none", "dev" or "oidc"/);
    assert.throws(() => parseConfig({ ...base, auth: { mode: "oidc", issuer: "ftp://x", clientId: "c" } }), /auth.issuer must use http: or https:/);
    assert.throws(() => parseConfig({ ...base, mqttPasswordFromToken: "yes" }), /mqttPasswordFromToken must be true or false/);
    assert.throws(() => parseConfig({ ...base, mqttPassword: "p" }), /config.json: mqttPassword needs mqttUsername/);
    assert.throws(() => parseConfig({ ...base, mqttUsername: "u", mqttPassword: "p", mqttPasswordFromToken: true }), /mqttPassword cannot be set with mqttPasswordFromToken/);
    assert.throws(() => parseConfig({ ...base, auth: { mode: "oidc", issuer: "https://id.example.com", clientId: "c", logoutEndpoint: "javascript:alert(1)" } }), /auth.logoutEndpoint must use https: or http:/);
    const cognito = parseConfig({ ...base, auth: { mode: "oidc", issuer: "https://id.example.com", clientId: "c", logoutEndpoint: "https://acme.auth.eu-west-1.amazoncognito.com/logout" } });
    assert.deepEqual(cognito.auth, { mode: "oidc", issuer: "https://id.example.com", clientId: "c", logoutEndpoint: "https://acme.auth.eu-west-1.amazoncognito.com/logout" });
  });
  it("can send the sign-in token as the MQTT password (IoT Core custom authorizer)", () => {
    const aws = parseConfig({ ...base, mqttUrl: "wss://a1b2-ats.iot.eu-west-1.amazonaws.com/mqtt?x-amz-customauthorizer-name=cv", mqttPasswordFromToken: true, auth: { mode: "oidc", issuer: "https://id.example.com", clientId: "c" } });
    assert.equal(aws.mqttPasswordFromToken, true);
    assert.equal(aws.mqttUrl, "wss://a1b2-ats.iot.eu-west-1.amazonaws.com/mqtt?x-amz-customauthorizer-name=cv");
  });
});

describe("symbols and inline charts", () => {
  it("finds the coin of a store symbol", () => {
    assert.deepEqual(["BTCUSDT", "ETHUSD", "SOLUSDT", "ETHBTC", "XBT", "BTCFDUSD"].map(baseOf), ["BTC", "ETH", "SOL", "ETH", "XBT", "BTC"]);
  });
  it("scales a sparkline into its box and bars to the largest", () => {
    assert.equal(sparklinePath([1, 2, 3], 12, 12, 1), "M1.0,11.0 L6.0,6.0 L11.0,1.0");
    assert.equal(sparklinePath([5], 10, 10), "", "one point draws nothing");
    assert.equal(sparklinePath([2, 2], 10, 10, 0), "M0.0,10.0 L10.0,10.0", "flat line does not divide by zero");
    assert.deepEqual(barFractions([5, 10, 0, NaN]), [0.5, 1, 0, 0]);
    assert.deepEqual(barFractions([0, 0]), [0, 0]);
  });
});

describe("failed API requests", () => {
  const timeout = new ApiError("GET /markets", "timeout", 0, "", REQUEST_TIMEOUT_MS);
  const http = (status: number, detail = "") => new ApiError("GET /volume/last_6_hours", "http", status, detail);
  const network = new ApiError("GET /markets", "network", 0, "Failed to fetch");
  const malformed = new ApiError("GET /markets", "malformed", 200, 'not JSON ("<html>")');

  it("time out after a bound the API's own 10 s function timeout fits in", () => {
    assert.ok(REQUEST_TIMEOUT_MS > 10_000 && REQUEST_TIMEOUT_MS <= 15_000, `${REQUEST_TIMEOUT_MS} ms`);
  });

  it("are retried 1 s, 2 s, 4 s … up to 30 s apart, jittered down by at most half", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 50].map((a) => retryDelay(a, () => 0)), [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    for (const attempt of [1, 3, 9]) {
      const full = retryDelay(attempt, () => 0);
      const low = retryDelay(attempt, () => 0.999999);
      assert.ok(low >= full / 2 && low < full, `attempt ${attempt}: ${low} in [${full / 2}, ${full})`);
    }
  });

  it("are retried only when waiting can help", () => {
    for (const e of [timeout, network, malformed, http(500), http(502), http(503), http(504), http(408), http(429)]) assert.equal(retryable(e), true, e.message);
    for (const e of [http(400), http(401), http(403), http(404)]) assert.equal(retryable(e), false, e.message);
    assert.equal(retryable(new Error("a bug in a view")), false, "not an API failure");
  });

  it("say in words what failed and why", () => {
    assert.equal(timeout.message, "GET /markets: the API did not answer within 12 s");
    assert.equal(describeFailure(http(503, "Service Unavailable")), "the API answered 503: Service Unavailable");
    assert.equal(describeFailure(http(500)), "the API answered 500");
    assert.match(describeFailure(http(401, "token expired")), /^the API did not accept the sign-in \(401: token expired\): sign in again/);
    assert.match(describeFailure(http(403)), /refused access \(403\): sign in with an account that has the dashboard role/);
    assert.equal(describeFailure(http(400, "minutes must be at most 1440 (minutes)")), "the API refused the request (400: minutes must be at most 1440 (minutes))");
    assert.match(describeFailure(network), /could not be reached/);
    assert.equal(describeFailure(malformed), 'the API answered with malformed data: not JSON ("<html>")');
    assert.equal(describeFailure(new ApiError("GET /x", "offline", 0, "")), "the browser is offline");
    assert.equal(failureSentence("Trades per coin", timeout, false), "Trades per coin could not be loaded: the API did not answer within 12 s.");
    assert.equal(failureSentence("Market figures", http(503), true), "Market figures could not be refreshed: the API answered 503.");
  });

  it("say when they are tried again and how old the answer still shown is", () => {
    const state = (over: Partial<LoadState<unknown>>): LoadState<unknown> => ({ data: undefined, dataAt: undefined, loading: false, failure: timeout, attempts: 1, retryAt: undefined, ...over });
    assert.equal(retryStatus(state({ retryAt: 4_200 }), 1_000, true), "retrying in 4 s");
    assert.equal(retryStatus(state({ retryAt: 4_200, data: {}, dataAt: 1_000 - 125_000 }), 1_000, true), "retrying in 4 s · showing the answer from 2 min ago");
    assert.equal(retryStatus(state({ loading: true }), 1_000, true), "retrying…");
    assert.equal(retryStatus(state({}), 1_000, true), "not retried automatically");
    assert.equal(retryStatus(state({}), 1_000, false), "retrying when the network is back");
  });

  it("count against the API unless it answered and refused on the merits", () => {
    for (const e of [timeout, network, malformed, http(500), http(503), http(401), http(403), http(429)]) assert.equal(apiUnavailable(e), true, e.message);
    for (const e of [http(400), http(404)]) assert.equal(apiUnavailable(e), false, e.message);
    assert.equal(badgeSummary(timeout), "API not answering");
    assert.equal(badgeSummary(network), "API not answering");
    assert.equal(badgeSummary(http(503)), "API failing");
    assert.equal(badgeSummary(http(403)), "API refuses sign-in");
  });
});

describe("API health", () => {
  const fail = (path: string, status = 503) => new ApiError(`GET ${path}`, "http", status, "");
  const kinds = (h: ApiHealth) => h.status().kind;

  it("is unknown until something answers, ok after an answer, failing after a failure", () => {
    const h = new ApiHealth(() => 1);
    assert.equal(kinds(h), "unknown");
    h.settle("a", undefined);
    assert.deepEqual(h.status(), { kind: "ok", at: 1 });
    h.settle(undefined, fail("/news"));
    assert.equal(kinds(h), "failing");
    h.settle(undefined, undefined);
    assert.equal(kinds(h), "ok", "the latest request decides for one-off requests");
  });

  it("keeps a failing panel counted until that panel succeeds or goes away", () => {
    const h = new ApiHealth();
    h.settle("stats-1", fail("/volume/last_6_hours"));
    h.settle("stats-2", undefined);
    h.settle(undefined, undefined);
    const s = h.status();
    assert.equal(s.kind, "failing", "another panel's success does not hide it");
    assert.equal(s.kind === "failing" && s.failure.request, "GET /volume/last_6_hours");
    h.settle("stats-1", undefined);
    assert.equal(kinds(h), "ok");
    h.settle("stats-3", fail("/top_cryptos_last_hour"));
    h.release("stats-3");
    assert.equal(kinds(h), "failing", "the latest request failed, whoever asked");
    h.settle("probe", undefined);
    assert.equal(kinds(h), "ok");
  });

  it("names the newest failure, and does not count answers refused on the merits", () => {
    const h = new ApiHealth();
    h.settle("a", fail("/a"));
    h.settle("b", fail("/b"));
    h.settle("a", fail("/a", 504));
    h.settle(undefined, undefined);
    const s = h.status();
    assert.equal(s.kind === "failing" && s.failure.message, "GET /a: the API answered 504");
    const h2 = new ApiHealth();
    h2.settle("x", fail("/trades/last_n_minutes", 400));
    assert.equal(kinds(h2), "ok", "a 400 is an answer");
  });

  it("says when it changes, and when an answer follows failures", () => {
    const h = new ApiHealth();
    const changes: ApiStatus["kind"][] = [];
    let recovered = 0;
    h.changed.on((s) => changes.push(s.kind));
    h.recovered.on(() => recovered++);
    h.settle("a", undefined);
    h.settle("a", undefined);
    h.settle("a", fail("/a"));
    h.settle("a", fail("/a"));
    h.settle("b", undefined);
    assert.equal(recovered, 1, "b answered after a failure: a may retry now");
    h.settle("a", undefined);
    assert.deepEqual(changes, ["ok", "failing", "ok"]);
    assert.equal(recovered, 2);
  });

  it("keeps the badge off 'live' while the API fails, saying which request failed", () => {
    const live = { kind: "live", since: 0 } as const;
    const failing: ApiStatus = { kind: "failing", failure: new ApiError("GET /markets", "timeout", 0, "", 12_000) };
    const shown = connectionText(live, failing, 0);
    assert.equal(shown.state, "degraded");
    assert.equal(shown.text, "live feed, API not answering");
    assert.equal(shown.title, "receiving live updates, but GET /markets: the API did not answer within 12 s");
    assert.equal(connectionText(live, { kind: "failing", failure: fail("/markets") }, 0).text, "live feed, API failing");
    assert.deepEqual(connectionText(live, { kind: "unknown" }, 0).state, "connecting", "not live before the API has answered once");
    assert.equal(connectionText(live, { kind: "ok", at: 0 }, 0).state, "live");
    const reconnecting = connectionText({ kind: "reconnecting", attempt: 1, retryAt: 0, reason: "connection closed" }, failing, 0);
    assert.equal(reconnecting.state, "reconnecting");
    assert.match(reconnecting.title, /the API is failing too \(GET \/markets: the API did not answer within 12 s\)/);
  });
});
