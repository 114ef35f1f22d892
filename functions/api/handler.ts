import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import { readAuthConfig } from "../../lib/api/auth/readAuth.ts";
import { createApiHandler } from "../../lib/api/createApiHandler.ts";
import { parseAllowedOrigins } from "../../lib/api/cors.ts";
import { createS3Client, createSqsClient } from "../../lib/adapters/aws/clients.ts";
import { envString } from "../../lib/config/readEnv.ts";
import { healthRoutes } from "../../lib/health/healthRoutes.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { getSearchClient } from "../../lib/adapters/opensearch/createSearchClient.ts";
import { createStoreContext } from "../../lib/store/StoreContext.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";

const logger = createLogger("api");
const sqs = createSqsClient();
const s3 = createS3Client();
const storeConfig = readStoreConfig();
const search = getSearchClient(storeConfig);
const newsQueue = envString(process.env, "NEWS_QUEUE");
const priceQueue = envString(process.env, "PRICE_QUEUE");
const rawBucket = envString(process.env, "RAW_BUCKET");

// The deep check's search probe is a search of the API's own indices: the only path its role may use.
const health = healthRoutes(
  [
    { name: "search", check: () => search.search({ index: `${storeConfig.indexPrefix}*`, size: 0, ignore_unavailable: true, allow_no_indices: true }) },
    { name: "queue:news", check: () => sqs.send(new GetQueueUrlCommand({ QueueName: newsQueue })) },
    { name: "queue:prices", check: () => sqs.send(new GetQueueUrlCommand({ QueueName: priceQueue })) },
    { name: "bucket:raw", check: () => s3.send(new HeadBucketCommand({ Bucket: rawBucket })) },
  ],
  logger,
);

/** The read-side REST API (routes: lib/api/createApiHandler.ts, docs/api.md). */
export const handler = createApiHandler({
  store: createStoreContext(search, storeConfig),
  logger,
  allowedOrigins: parseAllowedOrigins(process.env.API_ALLOWED_ORIGINS),
  auth: readAuthConfig(),
  extraRoutes: { "GET /health": health.shallow },
  authorizedRoutes: { "GET /health/deep": health.deep },
});
