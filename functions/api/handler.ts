import { pipelineHealthChecks } from "../../lib/adapters/aws/pipelineHealthChecks.ts";
import { getSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { createApiRouter } from "../../lib/api/apiRouter.ts";
import { readAuthConfig } from "../../lib/auth/readAuth.ts";
import { healthRoutes } from "../../lib/health/healthRoutes.ts";
import { parseAllowedOrigins } from "../../lib/lambda/http/cors.ts";
import { httpHandler } from "../../lib/lambda/httpHandler.ts";
import { createLogger } from "../../lib/lambda/logger.ts";
import { searchHealthCheck } from "../../lib/store/searchHealthCheck.ts";
import { createStoreContext } from "../../lib/store/StoreContext.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";

const logger = createLogger("api");
const storeConfig = readStoreConfig();
const search = getSearchClient(storeConfig);
const health = healthRoutes([searchHealthCheck(search, storeConfig.indexPrefix), ...pipelineHealthChecks()], logger);

/** The read-side REST API (routes: lib/api/apiRouter.ts, docs/api.md). */
export const handler = httpHandler(
  createApiRouter({
    store: createStoreContext(search, storeConfig),
    auth: readAuthConfig(),
    extraRoutes: { "GET /health": health.shallow },
    authorizedRoutes: { "GET /health/deep": health.deep },
  }),
  { logger, allowedOrigins: parseAllowedOrigins(process.env.API_ALLOWED_ORIGINS) },
);
