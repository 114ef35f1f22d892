import type { HttpResponse } from "./HttpRequest.ts";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** The error shape every endpoint answers with: what went wrong, and which field when there is one. */
export function errorResponse(status: number, error: string, message: string, field?: string): HttpResponse {
  return json(status, { error, message, ...(field ? { field } : {}) });
}
