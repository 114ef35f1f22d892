import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** The error shape every endpoint answers with: what went wrong, and which field when there is one. */
export function errorResponse(statusCode: number, error: string, message: string, field?: string): APIGatewayProxyStructuredResultV2 {
  return json(statusCode, { error, message, ...(field ? { field } : {}) });
}
