import { readAuthConfig } from "../../lib/auth/readAuth.ts";
import { iotAuthorizerHandler } from "../../lib/lambda/iotAuthorizerHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { dashboardConnectionAuthorizer } from "../../lib/notify/iotDashboardAuthorizer.ts";

const logger = createLogger("iot-authorizer");

/** IoT Core custom authorizer: dashboard sign-in token → read-only MQTT policy. */
export const handler = iotAuthorizerHandler(dashboardConnectionAuthorizer(readAuthConfig(), logger), { logger });
