// The custom resource that creates the fine-grained access control roles and
// maps the functions' IAM roles to them: run as CloudFormation runs it, against
// a local stand-in for the domain's security REST API (AWS itself cannot run
// here) and a local stand-in for CloudFormation's pre-signed response URL.
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { handler } from "./handler.ts";
import { DASHBOARD_ROLE, SCRAPPER_ROLE } from "../../lib/search-security/searchRoles.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";

interface Recorded {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

async function recordingServer(status: () => number, answer: (r: Recorded) => string) {
  const requests: Recorded[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const r = { method: req.method!, path: req.url!, headers: req.headers, body };
    requests.push(r);
    res.writeHead(status(), { "content-type": "application/json" }).end(answer(r));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let securityStatus = 200;
let domain: Awaited<ReturnType<typeof recordingServer>>;
let cloudformation: Awaited<ReturnType<typeof recordingServer>>;
const saved = { ...process.env };

before(async () => {
  domain = await recordingServer(() => securityStatus, () => (securityStatus === 200 ? '{"status":"OK"}' : '{"status":"FORBIDDEN","message":"no permissions for [restapi:admin/roles]"}'));
  cloudformation = await recordingServer(() => 200, () => "");
  // The function's role in AWS; here static credentials, so that SigV4 signs without a metadata service.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "eu-west-1", CRYPTOVIZ_LOG_LEVEL: "SILENT" });
});
after(async () => {
  process.env = saved;
  await domain.close();
  await cloudformation.close();
});
beforeEach(() => {
  securityStatus = 200;
  domain.requests.length = 0;
  cloudformation.requests.length = 0;
});

const API_ROLE = "arn:aws:iam::123456789012:role/cryptoviz-prod-api-eu-west-1-lambdaRole";
const NEWS_ROLE = "arn:aws:iam::123456789012:role/cryptoviz-prod-consume-news-eu-west-1-lambdaRole";
const PRICES_ROLE = "arn:aws:iam::123456789012:role/cryptoviz-prod-consume-prices-eu-west-1-lambdaRole";

const event = (RequestType: "Create" | "Update" | "Delete") =>
  ({
    RequestType,
    ResponseURL: `${cloudformation.url}/presigned?X-Amz-Signature=abc`,
    StackId: "arn:aws:cloudformation:eu-west-1:123456789012:stack/cryptoviz-prod/1",
    RequestId: "req-1",
    LogicalResourceId: "SearchSecurity",
    ResourceType: "Custom::SearchSecurity",
    ...(RequestType === "Create" ? {} : { PhysicalResourceId: "cryptoviz-search-security" }),
    ResourceProperties: { ServiceToken: "arn:aws:lambda:…", DomainEndpoint: domain.url, DashboardRoleArns: [API_ROLE], ScrapperRoleArns: [PRICES_ROLE, NEWS_ROLE] },
  }) as never;

const cloudformationGot = () => {
  assert.equal(cloudformation.requests.length, 1, "exactly one response to CloudFormation");
  const r = cloudformation.requests[0]!;
  assert.equal(r.method, "PUT");
  assert.equal(r.path, "/presigned?X-Amz-Signature=abc");
  assert.ok(!r.headers["content-type"], "no content type: the pre-signed URL's signature covers none");
  return JSON.parse(r.body) as { Status: string; Reason?: string; PhysicalResourceId: string; RequestId: string; LogicalResourceId: string };
};

describe("the search-security custom resource", () => {
  it("on Create: puts both roles, maps the api's role to cryptoviz-dashboard and the consumers' to cryptoviz-scrapper, signed with SigV4 for es, then answers SUCCESS", async () => {
    await handler(event("Create"), lambdaContext("search-security"));
    assert.deepEqual(domain.requests.map((r) => `${r.method} ${r.path}`), [
      `PUT /_plugins/_security/api/roles/${DASHBOARD_ROLE}`,
      `PUT /_plugins/_security/api/roles/${SCRAPPER_ROLE}`,
      `PUT /_plugins/_security/api/rolesmapping/${DASHBOARD_ROLE}`,
      `PUT /_plugins/_security/api/rolesmapping/${SCRAPPER_ROLE}`,
    ]);
    assert.deepEqual(JSON.parse(domain.requests[2]!.body), { backend_roles: [API_ROLE], hosts: [], users: [] });
    assert.deepEqual(JSON.parse(domain.requests[3]!.body), { backend_roles: [NEWS_ROLE, PRICES_ROLE], hosts: [], users: [] });
    for (const r of domain.requests) {
      assert.match(String(r.headers.authorization), /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/);
      assert.ok(r.headers["x-amz-date"]);
    }
    const response = cloudformationGot();
    assert.deepEqual([response.Status, response.PhysicalResourceId, response.RequestId, response.LogicalResourceId], ["SUCCESS", "cryptoviz-search-security", "req-1", "SearchSecurity"]);
  });

  it("on Update: applies the same calls again (a PUT replaces, so the mappings converge)", async () => {
    await handler(event("Update"), lambdaContext("search-security"));
    assert.equal(domain.requests.length, 4);
    assert.equal(cloudformationGot().Status, "SUCCESS");
  });

  it("when the security API refuses: answers FAILED with the call, the answer and what to check, instead of leaving the stack waiting", async () => {
    securityStatus = 403;
    await handler(event("Create"), lambdaContext("search-security"));
    const response = cloudformationGot();
    assert.equal(response.Status, "FAILED");
    assert.match(response.Reason!, /^PUT \/_plugins\/_security\/api\/roles\/cryptoviz-dashboard: HTTP 403 .*no permissions.*not the domain's master user/);
    assert.equal(domain.requests.length, 1, "stops at the first refusal");
  });

  it("on Delete: leaves the retained domain's roles alone and answers SUCCESS", async () => {
    await handler(event("Delete"), lambdaContext("search-security"));
    assert.equal(domain.requests.length, 0);
    assert.equal(cloudformationGot().Status, "SUCCESS");
  });
});
