// The read API's routes and query parameters: the real handler against the
// local search endpoint (with a little data, so valid requests read something),
// development-token auth on. Every route API Gateway routes here, any
// parameters, any Authorization header.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { startSearchServer } from "@cryptoviz/local-search";
import { issueDevToken } from "../../../lib/auth/issueDevToken.ts";
import { apiRoutes, createApiRouter } from "../../../lib/api/apiRouter.ts";
import { httpHandler } from "../../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../../lib/lambda/logger.ts";
import { createSearchClient } from "../../../lib/adapters/opensearch/createSearchClient.ts";
import { ensureTemplates } from "../../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../../lib/store/StoreConfig.ts";
import { createStoreContext } from "../../../lib/store/StoreContext.ts";
import { writeMarketBatch } from "../../../lib/store/writeMarketBatch.ts";
import { lambdaContext } from "../../helpers/lambdaContext.ts";
import { hostileText, instantLike } from "../arbitraries.ts";
import type { Boundary } from "../harness.ts";
import { assertAnswered, httpEvent } from "../httpEvent.ts";

const SECRET = "fuzz-api-dev-token-secret";
const PARAMETERS = ["symbol", "minutes", "top_n", "tf", "from", "to", "tag", "q", "limit"];

interface ApiInput {
  route: string;
  query: Record<string, string>;
  authorization: "valid" | "none" | string;
}

function arbitrary(routes: string[]): fc.Arbitrary<ApiInput> {
  const value = fc.oneof(
    fc.constantFrom("BTCUSDT", "btcusdt", "SOLUSDT", "ETH", "X", "1m", "1h", "1w", "2h", "15", "0", "-1", "1440", "1441", "100", "101", "BTC", "regulation", "bitcoin etf", ""),
    instantLike,
    fc.integer().map(String),
    fc.double({ noNaN: false }).map(String),
    hostileText({ maxLength: 250 }),
  );
  // A request the route answers, with up to three parameters then replaced, added or dropped.
  const good: Record<string, string> = { symbol: "BTCUSDT", minutes: "15", top_n: "10", tf: "1h", tag: "BTC", limit: "20" };
  const changes = fc.dictionary(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...PARAMETERS) }, { weight: 1, arbitrary: hostileText({ maxLength: 12 }) }), fc.option(value), { maxKeys: 3 });
  return fc.record({
    route: fc.constantFrom(...routes),
    query: changes.map((c) => {
      const query = { ...good };
      for (const [k, v] of Object.entries(c)) {
        if (v === null) delete query[k];
        else query[k] = v;
      }
      return query;
    }),
    authorization: fc.oneof({ weight: 10, arbitrary: fc.constant("valid") }, { weight: 1, arbitrary: fc.constantFrom("none", "Bearer", "Bearer a.b.c", "Basic abc") }, { weight: 1, arbitrary: hostileText({ maxLength: 60 }) }),
  });
}

export const apiParamsBoundary: Boundary<ApiInput> = {
  name: "API parameters (GET routes)",
  async start() {
    const dataDir = mkdtempSync(join(tmpdir(), "fuzz-api-"));
    const server = await startSearchServer({ port: 0, dataDir });
    const config = readStoreConfig({ SEARCH_URL: server.url });
    const store = createStoreContext(createSearchClient(config), config);
    await ensureTemplates(store.client, config.indexPrefix);
    const at = Date.now() - 90 * 60_000;
    await writeMarketBatch(store, {
      trades: Array.from({ length: 20 }, (_, i) => ({ key: `t${i}`, item: { exchange: "binance", symbol: "BTCUSDT", tradeId: `t${i}`, price: 90_000 + i, size: 0.1, side: "buy" as const, time: at + i * 60_000 } })),
      quotes: [{ key: "q", item: { exchange: "binance", symbol: "BTCUSDT", bid: 90_000, ask: 90_001, at: Date.now() - 1000 } }],
    });
    await store.client.indices.refresh({ index: `${config.indexPrefix}*` });
    const token = await issueDevToken(SECRET);
    const handler = httpHandler(createApiRouter({ store, auth: { mode: "dev", secret: new TextEncoder().encode(SECRET), issuer: "cryptoviz-local-dev", role: "dashboard", rolesClaim: "roles" } }), { logger: createLogger("api") });
    const routes = Object.keys(apiRoutes(store)).map((key) => key.slice("GET ".length));
    return {
      arbitrary: arbitrary(routes),
      async check(input) {
        const authorization = input.authorization === "valid" ? `Bearer ${token}` : input.authorization === "none" ? undefined : input.authorization;
        const response = await handler(httpEvent({ method: "GET", path: input.route, routeKey: `GET ${input.route}`, query: input.query, headers: { authorization } }), lambdaContext("api"));
        return assertAnswered(response as Parameters<typeof assertAnswered>[0], `GET ${input.route}`);
      },
      async stop() {
        await store.client.close();
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
};
