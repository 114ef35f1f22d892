import middy from "@middy/core";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { createS3Client, createSqsClient } from "../../lib/aws/clients.ts";
import { envString } from "../../lib/config/readEnv.ts";
import { checkHealth } from "../../lib/health/checkHealth.ts";
import { jsonErrors } from "../../lib/http/jsonErrors.ts";
import { errorResponse, json } from "../../lib/http/responses.ts";
import { createLogger } from "../../lib/log/logger.ts";
import { getSearchClient } from "../../lib/store/createSearchClient.ts";
import { readStoreConfig } from "../../lib/store/StoreConfig.ts";

const logger = createLogger("api");
const sqs = createSqsClient();
const s3 = createS3Client();
const search = getSearchClient(readStoreConfig());
const newsQueue = envString(process.env, "NEWS_QUEUE");
const priceQueue = envString(process.env, "PRICE_QUEUE");
const rawBucket = envString(process.env, "RAW_BUCKET");

async function health(): Promise<APIGatewayProxyResultV2> {
  const report = await checkHealth([
    { name: "search", check: () => search.info() },
    { name: "queue:news", check: () => sqs.send(new GetQueueUrlCommand({ QueueName: newsQueue })) },
    { name: "queue:prices", check: () => sqs.send(new GetQueueUrlCommand({ QueueName: priceQueue })) },
    { name: "bucket:raw", check: () => s3.send(new HeadBucketCommand({ Bucket: rawBucket })) },
  ]);
  if (report.status !== "ok") logger.warn("dependency check failed", { report });
  return json(report.status === "ok" ? 200 : 503, report, { "cache-control": "no-store" });
}

/** The read-side REST API. */
export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
  .use(injectLambdaContext(logger))
  .use(jsonErrors(logger))
  .handler(async (event) => {
    const route = `${event.requestContext.http.method} ${event.rawPath}`;
    switch (route) {
      case "GET /health":
        return health();
      default:
        return errorResponse(404, "not_found", `no route for ${route}`);
    }
  });
