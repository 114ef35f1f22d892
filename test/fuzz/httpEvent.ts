import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export interface HttpRequestSpec {
  method: string;
  path: string;
  routeKey: string;
  headers?: Record<string, string | undefined>;
  query?: Record<string, string>;
  body?: string;
  /** Send the body base64-encoded, as API Gateway does for binary content types. */
  base64?: boolean;
  pathParameters?: Record<string, string>;
}

/** An HTTP API (payload v2) event as API Gateway builds it (lower-case header names, undefined ones left out). */
export function httpEvent(spec: HttpRequestSpec): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  const query = spec.query && Object.keys(spec.query).length > 0 ? spec.query : undefined;
  return {
    version: "2.0",
    routeKey: spec.routeKey,
    rawPath: spec.path,
    rawQueryString: query ? new URLSearchParams(query).toString() : "",
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(spec.pathParameters ? { pathParameters: spec.pathParameters } : {}),
    requestContext: {
      accountId: "000000000000", apiId: "fuzz", domainName: "127.0.0.1", domainPrefix: "127",
      http: { method: spec.method, path: spec.path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "fuzz" },
      requestId: `fuzz-${Math.random().toString(16).slice(2)}`, routeKey: spec.routeKey, stage: "$default", time: "22/Nov/2026:09:13:05 +0000", timeEpoch: 1795338785000,
    },
    isBase64Encoded: spec.base64 === true,
    ...(spec.body !== undefined ? { body: spec.base64 ? Buffer.from(spec.body, "utf8").toString("base64") : spec.body } : {}),
  };
}

export interface ErrorAnswer {
  error?: unknown;
  message?: unknown;
  field?: unknown;
}

/**
 * The promises every HTTP boundary keeps: never a 5xx, and a 4xx says what was
 * wrong: the field at fault (`items[3].title`, `X-Correlation-Id`,
 * `Authorization`) or the limit that was passed. Throws when broken.
 */
export function assertAnswered(response: APIGatewayProxyStructuredResultV2, what: string): "accepted" | "refused" {
  const status = response.statusCode ?? 0;
  if (status >= 500 || status < 200) throw new Error(`${what}: ${status} ${String(response.body).slice(0, 500)}`);
  if (status < 400) return "accepted";
  let answer: ErrorAnswer;
  try {
    answer = JSON.parse(String(response.body)) as ErrorAnswer;
  } catch {
    throw new Error(`${what}: ${status} with a body that is not JSON: ${String(response.body).slice(0, 200)}`);
  }
  const named = (typeof answer.field === "string" && answer.field.length > 0) || /\blimit\b/i.test(String(answer.message));
  if (typeof answer.error !== "string" || typeof answer.message !== "string" || answer.message === "" || !named) {
    throw new Error(`${what}: ${status} names no field or limit: ${String(response.body).slice(0, 300)}`);
  }
  return "refused";
}
