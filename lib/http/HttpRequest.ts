// An HTTP request and answer as the domain's routes see them: no API Gateway
// types. lib/lambda/httpHandler.ts turns an HTTP API (payload v2) event into an
// HttpRequest and an HttpResponse into the function's result.

export interface HttpRequest {
  method: string;
  /** The path as sent, e.g. `/ingest/news` (the HTTP API's rawPath). */
  path: string;
  /** The route's parameters, e.g. `{ kind: "news" }` for `/ingest/{kind}`. */
  pathParameters: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body as text (base64 already decoded); undefined when there is none. */
  body: string | undefined;
  /** The gateway's id for this request, when there is one. */
  requestId: string | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Serialised (JSON for every endpoint here). */
  body: string;
}

/** A route: one request in, one answer out. */
export type HttpRoute = (request: HttpRequest) => Promise<HttpResponse>;
