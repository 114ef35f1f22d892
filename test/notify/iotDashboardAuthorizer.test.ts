import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { issueDevToken } from "../../lib/auth/issueDevToken.ts";
import { readAuthConfig } from "../../lib/auth/readAuth.ts";
import { authorizeDashboardConnection } from "../../lib/notify/iotDashboardAuthorizer.ts";
import { priceFeedFilter, sentimentFilter, socialDataTopic, socialFilter, socialRefreshTopic } from "../../contracts/topics.ts";

const SECRET = "iot-authorizer-test-secret";
const auth = readAuthConfig({ API_AUTH: "dev", API_DEV_TOKEN_SECRET: SECRET });
const ctx = { region: "eu-west-1", accountId: "123456789012", topicRoot: "cryptoviz" };
const mqttEvent = (password: string | undefined, clientId = "dashboard-abc123") => ({
  protocols: ["mqtt", "http"],
  protocolData: { mqtt: { username: "?x-amz-customauthorizer-name=cryptoviz-dashboard", clientId, ...(password !== undefined ? { password: Buffer.from(password).toString("base64") } : {}) } },
});

describe("IoT Core custom authorizer for the dashboard", () => {
  it("a signed-in dashboard user may connect as its own client id and subscribe/receive cryptoviz/*, not publish", async () => {
    const r = await authorizeDashboardConnection(mqttEvent(await issueDevToken(SECRET)), auth, ctx);
    assert.equal(r.isAuthenticated, true);
    assert.equal(r.principalId, "developer");
    const statements = JSON.parse(r.policyDocuments[0]!).Statement as Array<{ Action: string; Resource: string }>;
    assert.deepEqual(statements.map((s) => s.Action), ["iot:Connect", "iot:Subscribe", "iot:Receive"]);
    assert.equal(statements[0]!.Resource, "arn:aws:iot:eu-west-1:123456789012:client/dashboard-abc123");
    assert.equal(statements[1]!.Resource, "arn:aws:iot:eu-west-1:123456789012:topicfilter/cryptoviz/*");
    assert.ok(!statements.some((s) => s.Action === "iot:Publish"));
    // IoT policy resources are globs: the same statements cover every feed, the social one included.
    const covers = (resource: string, name: string) => new RegExp(`^${resource.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(name);
    const arn = (kind: string, name: string) => `arn:aws:iot:eu-west-1:123456789012:${kind}/${name}`;
    for (const filter of [priceFeedFilter(), sentimentFilter(), socialFilter(), socialFilter("BTC", "data")]) {
      assert.ok(covers(statements[1]!.Resource, arn("topicfilter", filter)), `subscribe ${filter}`);
    }
    assert.ok(!covers(statements[1]!.Resource, arn("topicfilter", "other/social/BTC/notify/data")), "and nothing outside cryptoviz/");
    for (const topic of [socialDataTopic("BTC"), socialRefreshTopic("ETH")]) assert.ok(covers(statements[2]!.Resource, arn("topic", topic)), `receive ${topic}`);
  });

  it("takes the token from the WebSocket query string too", async () => {
    const token = await issueDevToken(SECRET);
    const r = await authorizeDashboardConnection({ protocolData: { mqtt: { clientId: "dashboard-q" }, http: { queryString: `x-amz-customauthorizer-name=a&token=${token}` } } }, auth, ctx);
    assert.equal(r.isAuthenticated, true);
  });

  it("denies a missing or foreign token, a token without the role, and a client id outside dashboard-*", async () => {
    const denied = [
      mqttEvent(undefined),
      mqttEvent(await issueDevToken("another-secret-entirely")),
      mqttEvent(await issueDevToken(SECRET, { user: "x", roles: ["other"], ttl: 60 })),
      mqttEvent(await issueDevToken(SECRET), "cryptoviz-publisher"),
    ];
    for (const event of denied) {
      const r = await authorizeDashboardConnection(event, auth, ctx);
      assert.deepEqual([r.isAuthenticated, r.policyDocuments], [false, []]);
    }
  });
});
