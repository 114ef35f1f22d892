// The read-side API as a route: `${method} ${path}` to the questions, with the
// store and the clock injected (the Lambda entry point passes the real ones,
// tests a fixed `now`). lib/lambda/httpHandler.ts serves it (CORS, JSON errors).
import type { HttpRoute } from "../http/HttpRequest.ts";
import { errorResponse, json } from "../http/responses.ts";
import { authorizeRead, type ReadAuthConfig } from "../auth/readAuth.ts";
import type { ApiStore } from "./marketReads.ts";
import { NotFoundError } from "./NotFoundError.ts";
import { readNews, readSentiment } from "./newsReads.ts";
import { marketsOverview } from "./overview.ts";
import { readSocialActivity, readSocialPosts } from "./socialReads.ts";
import {
  parseActivityRange,
  parseCandleRange,
  parseCoin,
  parseInteger,
  parseOptionalRange,
  parseOptionalSymbol,
  parseOptionalTag,
  parseOptionalText,
  parseSymbol,
  parseTag,
  parseTimeframe,
  type QueryParams,
} from "./params.ts";
import * as q from "./questions.ts";
import { completeness } from "./completenessReads.ts";

export interface ApiDeps {
  store: ApiStore;
  now?: () => number;
  /** Who may read; default: no check. */
  auth?: ReadAuthConfig;
  /** Extra routes (e.g. GET /health), tried first and public. */
  extraRoutes?: Record<string, HttpRoute>;
  /** Extra routes behind the same auth as the reads (e.g. GET /health/deep). */
  authorizedRoutes?: Record<string, HttpRoute>;
}

type Route = (query: QueryParams, now: number) => Promise<unknown>;

export function apiRoutes(store: ApiStore): Record<string, Route> {
  return {
    "GET /transactions/last_6_hours": (_query, now) => q.transactionsLast6Hours(store, now),
    "GET /volume/last_6_hours": (_query, now) => q.volumeLast6Hours(store, now),
    "GET /aggregated_stats/last_12_hours": (_query, now) => q.aggregatedStatsLast12Hours(store, now),
    "GET /trades/last_n_minutes": (query, now) =>
      q.tradesLastNMinutes(store, now, parseSymbol(query), parseInteger(query, "minutes", 1, 1440)),
    "GET /top_cryptos_last_hour": (query, now) => q.topCryptosLastHour(store, now, parseInteger(query, "top_n", 1, 100, 10)),
    "GET /price/current": (query, now) => q.currentPrice(store, now, parseSymbol(query)),
    "GET /candles": (query, now) => {
      const symbol = parseSymbol(query);
      const tf = parseTimeframe(query);
      return q.candles(store, symbol, tf, parseCandleRange(query, tf, now));
    },
    "GET /quotes": (query, now) => q.latestQuotes(store, now, parseOptionalSymbol(query)),
    "GET /markets": (_query, now) => marketsOverview(store, now),
    "GET /completeness": (query, now) => completeness(store, parseSymbol(query), parseCandleRange(query, "1h", now, "hours")),
    "GET /news": (query) => {
      const tag = parseOptionalTag(query);
      const text = parseOptionalText(query);
      return readNews(store, {
        ...(tag !== undefined ? { tag } : {}),
        ...(text !== undefined ? { text } : {}),
        ...parseOptionalRange(query),
        limit: parseInteger(query, "limit", 1, 100, 20),
      });
    },
    "GET /sentiment": async (query, now) => {
      const tag = parseTag(query);
      const tf = parseTimeframe(query, "tf", "1h");
      const window = parseCandleRange(query, tf, now, "buckets");
      const exact = await readSentiment(store, tag, tf, window);
      // Coin tags are upper case (BTC); let `btc` find them too.
      return exact.buckets.length > 0 || tag === tag.toUpperCase() ? exact : readSentiment(store, tag.toUpperCase(), tf, window);
    },
    "GET /social": (query) =>
      readSocialPosts(store, { coin: parseCoin(query), ...parseOptionalRange(query), limit: parseInteger(query, "limit", 1, 100, 20) }),
    "GET /social/activity": (query, now) => {
      const coin = parseCoin(query);
      // The candles' symbol: the coin against USDT unless another pair is named (symbol=BTCUSD).
      const symbol = parseOptionalSymbol(query) ?? `${coin}USDT`;
      const tf = parseTimeframe(query, "tf", "1h");
      return readSocialActivity(store, coin, symbol, tf, parseActivityRange(query, tf, now));
    },
  };
}

export function createApiRouter(deps: ApiDeps): HttpRoute {
  const routes = apiRoutes(deps.store);
  const now = deps.now ?? Date.now;
  return async (request) => {
    const key = `${request.method} ${request.path}`;
    const extra = deps.extraRoutes?.[key];
    if (extra) return extra(request);
    const route = routes[key];
    const authorized = deps.authorizedRoutes?.[key];
    if (!route && !authorized) return errorResponse(404, "not_found", `no route for ${key}`);
    const auth = await authorizeRead(request.headers.authorization, deps.auth ?? { mode: "none" });
    if (!auth.ok) return errorResponse(auth.status, auth.status === 401 ? "unauthorized" : "forbidden", auth.reason, "Authorization");
    if (authorized) return authorized(request);
    try {
      return json(200, await route!(request.query, now()), { "cache-control": "no-store" });
    } catch (error) {
      if (error instanceof NotFoundError) return errorResponse(404, "not_found", error.message, error.field);
      throw error;
    }
  };
}
