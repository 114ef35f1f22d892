// API Gateway HTTP API (payload v2) events in and results out, for the routes'
// own request and answer shapes (lib/http/HttpRequest.ts).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import type { HttpRequest, HttpResponse } from "../../http/HttpRequest.ts";

/** The request a route sees; headers are already lower-cased by @middy/http-header-normalizer. */
export function httpRequestOf(event: APIGatewayProxyEventV2): HttpRequest {
  const body = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body) : undefined;
  return {
    method: event.requestContext?.http?.method ?? "",
    path: event.rawPath ?? "",
    pathParameters: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers: event.headers ?? {},
    body,
    requestId: event.requestContext?.requestId,
  };
}

export function apiGatewayResultOf(response: HttpResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.status, headers: response.headers, body: response.body };
}
