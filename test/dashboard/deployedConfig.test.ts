import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "../../contracts/dashboardConfig.ts";
import { deployedDashboardConfig } from "../../lib/dashboard/deployedDashboardConfig.ts";

const outputs = {
  HttpApiUrl: "https://abc123.execute-api.eu-west-1.amazonaws.com",
  OidcIssuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf",
  DashboardUserPoolClientId: "3n4b5c6d7e",
  DashboardLogoutEndpoint: "https://acme-cryptoviz-prod.auth.eu-west-1.amazoncognito.com/logout",
};

describe("the deployed dashboard's config.json", () => {
  it("points at the HTTP API, IoT Core through the custom authorizer, and the stack's Cognito pool", () => {
    const config = deployedDashboardConfig({ outputs, iotEndpoint: "a1b2c3-ats.iot.eu-west-1.amazonaws.com", iotAuthorizerName: "cryptoviz-prod-dashboard" });
    assert.deepEqual(parseConfig(config), config, "valid for the page");
    assert.equal(config.mqttUrl, "wss://a1b2c3-ats.iot.eu-west-1.amazonaws.com/mqtt?x-amz-customauthorizer-name=cryptoviz-prod-dashboard");
    assert.equal(config.mqttPasswordFromToken, true);
    assert.equal(config.mqttUsername, "dashboard", "a password needs a username in MQTT 3.1.1");
    assert.deepEqual(config.auth, { mode: "oidc", issuer: outputs.OidcIssuer, clientId: outputs.DashboardUserPoolClientId, scope: "openid email profile", logoutEndpoint: outputs.DashboardLogoutEndpoint });
  });

  it("uses another issuer (Keycloak) when both issuer and client are given", () => {
    const config = deployedDashboardConfig({ outputs, iotEndpoint: "x-ats.iot.us-east-1.amazonaws.com", iotAuthorizerName: "a", oidcIssuer: "https://kc.example/realms/crypto", oidcClientId: "dashboard" });
    assert.deepEqual(config.auth, { mode: "oidc", issuer: "https://kc.example/realms/crypto", clientId: "dashboard", scope: "openid email profile" });
  });

  it("says what is missing", () => {
    assert.throws(() => deployedDashboardConfig({ outputs, iotEndpoint: "", iotAuthorizerName: "a" }), /iotEndpoint/);
    assert.throws(() => deployedDashboardConfig({ outputs: {}, iotEndpoint: "x", iotAuthorizerName: "a" }), /HttpApiUrl/);
    assert.throws(() => deployedDashboardConfig({ outputs, iotEndpoint: "x", iotAuthorizerName: "a", oidcIssuer: "https://kc.example" }), /both oidcIssuer and oidcClientId/);
  });
});
