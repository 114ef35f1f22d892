import type { IncomingMessage, ServerResponse } from "node:http";
import { binanceRestRoutes } from "../../../lib/market/exchanges/binance/simulateRest.ts";
import { bitmexRestRoutes } from "../../../lib/market/exchanges/bitmex/simulateRest.ts";
import { kucoinRestRoutes } from "../../../lib/market/exchanges/kucoin/simulateRest.ts";
import type { SimContext, SimRestRoute } from "../../../lib/market/exchanges/simulation.ts";
import type { SimExchange } from "../exchangeSymbols.ts";

/** A rate limit as an exchange publishes it: `weight` per `perMs`, counted in fixed intervals. */
export interface SimRateLimit {
  weight: number;
  perMs: number;
}

/** Binance REQUEST_WEIGHT 6000 a minute; Kucoin's Public pool 2000 per 30 s; BitMEX 30 requests a minute without a key. */
export const PUBLISHED_LIMITS: Readonly<Record<SimExchange, SimRateLimit>> = {
  binance: { weight: 6000, perMs: 60_000 },
  kucoin: { weight: 2000, perMs: 30_000 },
  bitmex: { weight: 30, perMs: 60_000 },
};

/** An injected REST failure: an HTTP status (429, 418, 451, 500…) or a connection cut before any answer. */
export type SimRestFailure = { status: number } | "unreachable";

export interface SimRestCounters {
  requests: number;
  answered: number;
  /** Answers refused by the rate limit (429). */
  limited: number;
  /** Requests failed on purpose (setRestFailure). */
  failed: number;
  /** Most weight used within one limit interval. */
  maxWeightUsed: number;
}

const ROUTES: Readonly<Record<SimExchange, () => SimRestRoute[]>> = { binance: binanceRestRoutes, kucoin: kucoinRestRoutes, bitmex: bitmexRestRoutes };

/**
 * The simulated exchanges' REST side: each exchange's route table
 * (`lib/market/exchanges/<x>/simulateRest.ts`) under `/<exchange>`, with the
 * exchange's published rate limit enforced (429, as the exchange answers) and
 * failures injectable for tests.
 */
export class SimRestRouter {
  private readonly routes = new Map<string, { exchange: SimExchange; route: SimRestRoute }>();
  private readonly used = new Map<SimExchange, { since: number; weight: number }>();
  private readonly failures = new Map<SimExchange, SimRestFailure>();
  readonly counters: Record<SimExchange, SimRestCounters>;

  constructor(
    private readonly ctx: SimContext,
    private readonly limits: Record<SimExchange, SimRateLimit>,
  ) {
    this.counters = { binance: counters(), kucoin: counters(), bitmex: counters() };
    for (const exchange of Object.keys(ROUTES) as SimExchange[]) {
      for (const route of ROUTES[exchange]()) this.routes.set(`${route.method} /${exchange}${route.path}`, { exchange, route });
    }
  }

  /** Every REST call to `exchange` fails this way until cleared (undefined). */
  setFailure(exchange: SimExchange, failure: SimRestFailure | undefined): void {
    if (failure === undefined) this.failures.delete(exchange);
    else this.failures.set(exchange, failure);
  }

  /** Answers the request if it is one of the routes; false otherwise (the server's other routes are tried). */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const found = this.routes.get(`${req.method} ${url.pathname}`);
    if (!found) return false;
    const { exchange, route } = found;
    const c = this.counters[exchange];
    c.requests++;
    req.resume();
    const failure = this.failures.get(exchange);
    if (failure === "unreachable") {
      c.failed++;
      req.socket.destroy();
      return true;
    }
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
    };
    if (failure) {
      c.failed++;
      reply(failure.status, { code: -1003, msg: `simulated failure ${failure.status}` }, failure.status === 429 || failure.status === 418 ? { "retry-after": "1" } : {});
      return true;
    }
    const limit = this.limits[exchange];
    const now = Date.now();
    let window = this.used.get(exchange);
    if (!window || now - window.since >= limit.perMs) this.used.set(exchange, (window = { since: now, weight: 0 }));
    const weight = route.weight(url.searchParams);
    if (window.weight + weight > limit.weight) {
      c.limited++;
      const retryAfter = Math.ceil((window.since + limit.perMs - now) / 1000);
      reply(429, { code: -1003, msg: "Too many requests; current limit is exceeded." }, { "retry-after": String(retryAfter) });
      return true;
    }
    window.weight += weight;
    c.maxWeightUsed = Math.max(c.maxWeightUsed, window.weight);
    const answer = route.answer(url.searchParams, this.ctx);
    c.answered++;
    reply(answer.status, answer.body, { "x-sim-used-weight": String(window.weight), ...answer.headers });
    return true;
  }
}

const counters = (): SimRestCounters => ({ requests: 0, answered: 0, limited: 0, failed: 0, maxWeightUsed: 0 });
