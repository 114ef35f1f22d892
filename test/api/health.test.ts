// /health is shallow and open: no backend call, no backend text. /health/deep
// asks every dependency, behind the reads' auth, and names only the kind of a
// failure. Run through the API handler against the local search endpoint.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { startSearchServer } from "@cryptoviz/local-search";
import { issueDevToken } from "../../lib/auth/issueDevToken.ts";
import { readAuthConfig } from "../../lib/auth/readAuth.ts";
import { createApiRouter } from "../../lib/api/apiRouter.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { healthRoutes } from "../../lib/health/healthRoutes.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { createSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";
import { createStoreContext } from "../../lib/store/StoreContext.ts";
import { lambdaContext } from "../helpers/lambdaContext.ts";

const SECRET = "health-test-dev-token-secret";
// What an AWS failure says: an account, a role, a resource. It must not reach an answer.
const LEAK = "User: arn:aws:sts::123456789012:assumed-role/cryptoviz-prod-api/x is not authorized to perform: sqs:GetQueueUrl";
let server: Awaited<ReturnType<typeof startSearchServer>>;
let dataDir: string;
let handler: ReturnType<typeof httpHandler>;
let token: string;
const calls = { search: 0, queue: 0 };
const warnings: unknown[] = [];

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "health-test-"));
  server = await startSearchServer({ port: 0, dataDir });
  const config = readStoreConfig({ SEARCH_URL: server.url });
  const client = createSearchClient(config);
  const health = healthRoutes(
    [
      { name: "search", check: () => (calls.search++, client.search({ index: "cryptoviz-*", size: 0, ignore_unavailable: true, allow_no_indices: true })) },
      { name: "queue:news", check: async () => (calls.queue++, Promise.reject(Object.assign(new Error(LEAK), { name: "AccessDenied" }))) },
    ],
    { warn: (...args: unknown[]) => void warnings.push(args) },
  );
  handler = httpHandler(
    createApiRouter({
      store: createStoreContext(client, config),
      auth: readAuthConfig({ API_AUTH: "dev", API_DEV_TOKEN_SECRET: SECRET }),
      extraRoutes: { "GET /health": health.shallow },
      authorizedRoutes: { "GET /health/deep": health.deep },
    }),
    { logger: createLogger("api") },
  );
  token = await issueDevToken(SECRET);
});
after(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function get(path: string, authorization?: string) {
  const event = {
    version: "2.0",
    routeKey: `GET ${path}`,
    rawPath: path,
    rawQueryString: "",
    headers: authorization ? { authorization } : {},
    requestContext: { http: { method: "GET", path }, requestId: "r" },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const r = (await handler(event, lambdaContext("api"))) as APIGatewayProxyStructuredResultV2;
  return { status: r.statusCode, text: String(r.body), body: JSON.parse(String(r.body)) as Record<string, any> };
}

describe("GET /health", () => {
  it("answers 200 to anyone without calling a single backend", async () => {
    const r = await get("/health");
    assert.deepEqual([r.status, r.body], [200, { status: "ok" }]);
    assert.deepEqual(calls, { search: 0, queue: 0 });
  });
});

describe("GET /health/deep", () => {
  it("needs the reads' token: 401 without one, and nothing is checked", async () => {
    const r = await get("/health/deep");
    assert.equal(r.status, 401);
    assert.deepEqual(calls, { search: 0, queue: 0 });
  });

  it("checks every dependency and answers 503 naming the failure's kind only; the text goes to the logs", async () => {
    const r = await get("/health/deep", `Bearer ${token}`);
    assert.equal(r.status, 503);
    assert.equal(r.body.status, "degraded");
    assert.equal(r.body.checks.search.ok, true, "the search probe is allowed and answered");
    assert.deepEqual([r.body.checks["queue:news"].ok, r.body.checks["queue:news"].error], [false, "AccessDenied"]);
    assert.ok(!r.text.includes("arn:") && !r.text.includes("123456789012") && !r.text.includes("not authorized"), r.text);
    assert.deepEqual(calls, { search: 1, queue: 1 });
    assert.ok(JSON.stringify(warnings).includes(LEAK), "the operator still finds the full text in the logs");
  });
});
