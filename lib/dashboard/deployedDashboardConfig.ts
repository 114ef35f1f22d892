// config.json for the dashboard deployed to AWS, from the stack's outputs:
// the HTTP API, IoT Core's WebSocket endpoint through the dashboard's custom
// authorizer (the sign-in token is the MQTT password), and OIDC sign-in
// (the stack's Cognito user pool, or the issuer and client given as params).
import { TOKEN_MQTT_USERNAME, type DashboardConfig } from "../../contracts/dashboardConfig.ts";

export interface DeployedStack {
  /** CloudFormation outputs by key. */
  outputs: Readonly<Record<string, string | undefined>>;
  /** IoT Core data endpoint (aws iot describe-endpoint --endpoint-type iot:Data-ATS). */
  iotEndpoint: string;
  /** Name of the AWS::IoT::Authorizer for the dashboard. */
  iotAuthorizerName: string;
  /** Overrides for a non-Cognito issuer (Keycloak…): both or neither. */
  oidcIssuer?: string;
  oidcClientId?: string;
}

function required(outputs: DeployedStack["outputs"], key: string): string {
  const value = outputs[key];
  if (!value) throw new Error(`the stack has no ${key} output: deploy the full serverless.yml first`);
  return value;
}

export function deployedDashboardConfig(stack: DeployedStack): DashboardConfig {
  if (!stack.iotEndpoint) throw new Error("iotEndpoint is not set: --param=\"iotEndpoint=$(aws iot describe-endpoint --endpoint-type iot:Data-ATS --query endpointAddress --output text)\"");
  if (Boolean(stack.oidcIssuer) !== Boolean(stack.oidcClientId)) throw new Error("set both oidcIssuer and oidcClientId, or neither (the stack's Cognito user pool)");
  return {
    apiUrl: required(stack.outputs, "HttpApiUrl"),
    mqttUrl: `wss://${stack.iotEndpoint}/mqtt?x-amz-customauthorizer-name=${encodeURIComponent(stack.iotAuthorizerName)}`,
    // A username must go with the password (MQTT 3.1.1); the authorizer reads only the password.
    mqttUsername: TOKEN_MQTT_USERNAME,
    mqttPasswordFromToken: true,
    auth: stack.oidcIssuer
      ? // Another issuer (Keycloak…): its discovery document names its own end_session_endpoint.
        { mode: "oidc", issuer: stack.oidcIssuer, clientId: stack.oidcClientId!, scope: "openid email profile" }
      : {
          mode: "oidc",
          issuer: required(stack.outputs, "OidcIssuer"),
          clientId: required(stack.outputs, "DashboardUserPoolClientId"),
          scope: "openid email profile",
          logoutEndpoint: required(stack.outputs, "DashboardLogoutEndpoint"),
        },
  };
}
