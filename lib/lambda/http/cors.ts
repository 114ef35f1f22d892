// CORS for the dashboard: a request whose Origin is listed in
// API_ALLOWED_ORIGINS (comma list; `*` allows any) gets
// `access-control-allow-origin: <that origin>` on every answer, errors included.
// @middy/http-cors answers with its configured origin list, not the request's
// own origin picked from it, and leaves preflights to API Gateway: hence this.
import type middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";

export function parseAllowedOrigins(raw: string | undefined): string[] {
  return (raw ?? "").split(",").map((s) => s.trim().replace(/\/+$/, "")).filter((s) => s !== "");
}

export function allowedOrigin(origin: string | undefined, allowed: readonly string[]): string | undefined {
  if (!origin) return undefined;
  if (allowed.includes("*")) return "*";
  return allowed.includes(origin) ? origin : undefined;
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) if (k.toLowerCase() === name) return v;
  return undefined;
}

export function cors(allowed: readonly string[]): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const apply = async (request: middy.Request<APIGatewayProxyEventV2, APIGatewayProxyResultV2>) => {
    const response = request.response;
    if (!response || typeof response !== "object") return;
    const origin = allowedOrigin(header(request.event, "origin"), allowed);
    const headers: Record<string, string | number | boolean> = { ...(response.headers ?? {}) };
    if (origin !== undefined) headers["access-control-allow-origin"] = origin;
    if (origin !== "*" && allowed.length > 0) headers.vary = "origin";
    response.headers = headers;
  };
  return { after: apply, onError: apply };
}
