// The Lambda entry point (functions/api/handler.ts) as deployed: configured
// from the environment, real clock. Only time-independent answers are checked
// here; the windowed routes are covered with a fixed `now` in apiRoutes.test.ts.
import type { Client } from "@opensearch-project/opensearch";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { startSearchServer } from "@cryptoviz/local-search";
import { issueDevToken } from "../../lib/auth/issueDevToken.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { ensureTemplates } from "../../lib/store/ensureTemplates.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext, type StoreContext } from "../../lib/store/StoreContext.ts";
import { writeMarketBatch } from "../../lib/store/writeMarketBatch.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";

const ORIGIN = "http://127.0.0.1:8080";
const DEV_SECRET = "api-handler-test-dev-secret";
let token: string;
let server: Awaited<ReturnType<typeof startSearchServer>>;
let store: StoreContext<Client>;
let dataDir: string;
let handler: (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;
const sample = JSON.parse(readFileSync("functions/api/event.json", "utf8")) as APIGatewayProxyEventV2;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "api-handler-test-"));
  server = await startSearchServer({ port: 0, dataDir });
  const config = readStoreConfig({ SEARCH_URL: server.url });
  store = createStoreContext(createSearchClient(config), config);
  await ensureTemplates(store.client, config.indexPrefix);
  const at = Date.now() - 1000;
  const r = await writeMarketBatch(store, {
    quotes: [
      { key: "a", item: { exchange: "binance", symbol: "SOLUSDT", bid: 150.1, ask: 150.2, at } },
      { key: "b", item: { exchange: "kucoin", symbol: "SOLUSDT", bid: 150.15, ask: 150.25, at } },
    ],
  });
  assert.equal(r.failed.size, 0);
  await store.client.indices.refresh({ index: `${config.indexPrefix}*` });
  Object.assign(process.env, {
    SEARCH_URL: server.url,
    NEWS_QUEUE: "news",
    PRICE_QUEUE: "prices",
    RAW_BUCKET: "raw",
    API_ALLOWED_ORIGINS: `https://other.example, ${ORIGIN}`,
    API_AUTH: "dev",
    API_DEV_TOKEN_SECRET: DEV_SECRET,
    CRYPTOVIZ_LOG_LEVEL: process.env.CRYPTOVIZ_LOG_LEVEL ?? "SILENT",
  });
  token = await issueDevToken(DEV_SECRET);
  ({ handler } = (await import("./handler.ts")) as unknown as { handler: typeof handler });
});

after(async () => {
  await store?.client.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = async (path: string, query?: Record<string, string>, headers: Record<string, string> = {}) => {
  const r = await handler(
    {
      ...sample,
      rawPath: path,
      rawQueryString: new URLSearchParams(query).toString(),
      ...(query ? { queryStringParameters: query } : {}),
      headers: { ...sample.headers, authorization: `Bearer ${token}`, ...headers },
      requestContext: { ...sample.requestContext, http: { ...sample.requestContext.http, path } },
    },
    lambdaContext("api"),
  );
  return { status: r.statusCode, headers: r.headers ?? {}, body: JSON.parse(String(r.body)) as Record<string, any> };
};

describe("api Lambda entry point", () => {
  it("answers /price/current from the store named by SEARCH_URL, with CORS from API_ALLOWED_ORIGINS", async () => {
    const r = await get("/price/current", { symbol: "solusdt" }, { origin: ORIGIN });
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.buy.price, r.body.buy.exchange, r.body.sell.price, r.body.sell.exchange], [150.2, "binance", 150.15, "kucoin"]);
    assert.equal(r.headers["access-control-allow-origin"], ORIGIN);
    assert.equal(r.headers["cache-control"], "no-store");
  });

  it("400 / 404 answers keep the error shape and the CORS header", async () => {
    const bad = await get("/trades/last_n_minutes", { symbol: "SOLUSDT", minutes: "0" }, { origin: ORIGIN });
    assert.deepEqual([bad.status, bad.body.error, bad.body.field, bad.headers["access-control-allow-origin"]], [400, "invalid_request", "minutes", ORIGIN]);
    const unknown = await get("/price/current", { symbol: "NOPEUSDT" });
    assert.deepEqual([unknown.status, unknown.body.field], [404, "symbol"]);
    const route = await get("/nope");
    assert.deepEqual([route.status, route.body.error], [404, "not_found"]);
  });

  it("reads need a token with the dashboard role (API_AUTH=dev): 401 without one, 403 without the role, CORS kept", async () => {
    const none = await get("/quotes", {}, { origin: ORIGIN, authorization: "" });
    assert.deepEqual([none.status, none.body.error, none.headers["access-control-allow-origin"]], [401, "unauthorized", ORIGIN]);
    const ops = await issueDevToken(DEV_SECRET, { user: "ops", roles: ["operator"], ttl: 60 });
    const forbidden = await get("/quotes", {}, { authorization: `Bearer ${ops}` });
    assert.deepEqual([forbidden.status, forbidden.body.error], [403, "forbidden"]);
    assert.equal((await get("/quotes")).status, 200);
  });

  it("windowed routes answer with their window (real clock)", async () => {
    const r = await get("/aggregated_stats/last_12_hours");
    assert.equal(r.status, 200);
    const to = Date.parse(r.body.to);
    assert.equal(to % 3_600_000, 0);
    assert.equal(Date.parse(r.body.from), to - 12 * 3_600_000);
    assert.ok(Date.now() - to < 3_600_000 + 5_000);
  });
});
