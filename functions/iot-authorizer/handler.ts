import type { Context } from "aws-lambda";
import { readAuthConfig } from "../../lib/api/auth/readAuth.ts";
import { envString } from "../../lib/config/readEnv.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { authorizeDashboardConnection, type IotAuthorizerEvent } from "../../lib/notify/iotDashboardAuthorizer.ts";

const logger = createLogger("iot-authorizer");
const auth = readAuthConfig();
const region = envString(process.env, "AWS_REGION", "us-east-1");

/** IoT Core custom authorizer: dashboard sign-in token → read-only MQTT policy. */
export async function handler(event: IotAuthorizerEvent, context: Context) {
  // The account is part of every ARN in the policy; Lambda tells it through the function's own ARN.
  // (`invoke local` passes none: a wildcard then, never in Lambda.)
  const accountId = context?.invokedFunctionArn?.split(":")[4] || "*";
  const response = await authorizeDashboardConnection(event, auth, { region, accountId, topicRoot: "cryptoviz" });
  logger.info("mqtt connection", { clientId: event.protocolData?.mqtt?.clientId, allowed: response.isAuthenticated, principal: response.principalId });
  return response;
}
