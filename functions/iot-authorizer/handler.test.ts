// iot-authorizer as IoT Core invokes it: the sample event's dashboard sign-in
// token (issued by the local launcher) becomes a subscribe-only policy in the
// function's own account and region; another token is denied.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, it } from "node:test";
import type { Context } from "aws-lambda";
import { issueDevToken } from "../../lib/auth/issueDevToken.ts";
import type { IotAuthorizerEvent, IotAuthorizerResponse } from "../../lib/notify/iotDashboardAuthorizer.ts";
import { lambdaContext } from "../../test/helpers/lambdaContext.ts";

const sample = JSON.parse(readFileSync("functions/iot-authorizer/event.json", "utf8")) as IotAuthorizerEvent;
let handler: (event: IotAuthorizerEvent, context: Context) => Promise<IotAuthorizerResponse>;

before(async () => {
  // The local stage's settings (serverless.yml params): the sample token is signed with this secret.
  Object.assign(process.env, { API_AUTH: "dev", API_DEV_TOKEN_SECRET: "local-dev-token-secret", AWS_REGION: "eu-west-1", CRYPTOVIZ_LOG_LEVEL: "SILENT" });
  ({ handler } = (await import("./handler.ts")) as unknown as { handler: typeof handler });
});

describe("iot-authorizer handler", () => {
  it("the sample token may connect as its client id and subscribe to cryptoviz/*, in the function's account and region, never publish", async () => {
    const response = await handler(sample, lambdaContext("iot-authorizer"));
    assert.equal(response.isAuthenticated, true);
    const statements = JSON.parse(response.policyDocuments[0]!).Statement as Array<{ Action: string; Resource: string }>;
    assert.deepEqual(statements.map((s) => s.Action), ["iot:Connect", "iot:Subscribe", "iot:Receive"]);
    assert.equal(statements[0]!.Resource, "arn:aws:iot:eu-west-1:000000000000:client/dashboard-5f2c9a");
  });

  it("a token signed with another secret is denied", async () => {
    const forged = await issueDevToken("some-other-secret-of-16+-chars");
    const event = { ...sample, protocolData: { ...sample.protocolData, mqtt: { ...sample.protocolData!.mqtt, password: Buffer.from(forged).toString("base64") } } };
    const response = await handler(event, lambdaContext("iot-authorizer"));
    assert.deepEqual([response.isAuthenticated, response.policyDocuments], [false, []]);
  });
});
