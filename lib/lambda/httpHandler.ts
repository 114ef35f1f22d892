// The HTTP trigger (API Gateway HTTP API, payload v2): one handler factory for
// every HTTP function. The route is the domain's own function of an HttpRequest;
// the factory adds the Lambda side: the request's context on every log line,
// lower-cased headers, CORS when asked for, and errors as JSON answers
// (400 naming the field, 500 without internals).
import middy from "@middy/core";
import httpHeaderNormalizer from "@middy/http-header-normalizer";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import type { HttpRoute } from "../http/HttpRequest.ts";
import { apiGatewayResultOf, httpRequestOf } from "./http/apiGatewayEvent.ts";
import { cors } from "./http/cors.ts";
import { jsonErrors } from "./http/jsonErrors.ts";

export interface HttpHandlerOptions {
  logger: Logger;
  /** Origins that get CORS headers from the function itself (API_ALLOWED_ORIGINS); none: no CORS headers. */
  allowedOrigins?: readonly string[];
}

export function httpHandler(route: HttpRoute, { logger, allowedOrigins }: HttpHandlerOptions) {
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>().use(injectLambdaContext(logger)).use(httpHeaderNormalizer());
  // After and onError run in reverse: errors become JSON answers first, then get their CORS headers.
  if (allowedOrigins) handler.use(cors(allowedOrigins));
  return handler.use(jsonErrors(logger)).handler(async (event) => apiGatewayResultOf(await route(httpRequestOf(event))));
}
