// Serves Lambda HTTP API handlers (payload v2) on a local port, the way API
// Gateway would invoke them, so that real HTTP clients (@huggingface/inference,
// fetch) reach the real handlers. `fault` lets a test make the endpoint fail.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { lambdaContext } from "./lambdaContext.ts";

type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

export interface HttpFault {
  /** Answer with this status (e.g. 503) instead of calling the handler… */
  status: number;
  /** … and this JSON body (default `{"error": "injected fault"}`). */
  body?: unknown;
  /** Which requests: by body and path (default: all). */
  when?: (body: string, path: string) => boolean;
}

export interface HttpLambdaServer {
  url: string;
  port: number;
  /** While set, matching requests get this answer instead of the handler's. */
  fault: HttpFault | undefined;
  /** While set, every answer waits this long first (a slow endpoint). */
  delayMs: number | undefined;
  /** Every request received, in order (path and body). */
  requests: { path: string; body: string }[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function toEvent(req: IncomingMessage, body: string, routeKey: string): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? "/", "http://local");
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(",") : v;
  return {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: "127.0.0.1",
      domainPrefix: "127",
      http: { method: req.method ?? "GET", path: url.pathname, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: headers["user-agent"] ?? "" },
      requestId: `req-${Math.random().toString(16).slice(2)}`,
      routeKey,
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body ? { body } : {}),
    isBase64Encoded: false,
  };
}

/** Routes are `METHOD /path` → handler; port 0 picks a free port. */
export async function serveHttpLambda(routes: Record<string, HttpHandler>, port = 0): Promise<HttpLambdaServer> {
  const state: HttpLambdaServer = { url: "", port: 0, fault: undefined, delayMs: undefined, requests: [], close: async () => {} };
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    const routeKey = `${req.method} ${path}`;
    const handler = routes[routeKey];
    const body = await readBody(req);
    state.requests.push({ path, body });
    if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    const fault = state.fault;
    if (fault && (!fault.when || fault.when(body, path))) {
      res.writeHead(fault.status, { "content-type": "application/json" }).end(JSON.stringify(fault.body ?? { error: "injected fault" }));
      return;
    }
    if (!handler) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
      return;
    }
    try {
      const result = (await handler(toEvent(req, body, routeKey), lambdaContext(routeKey))) as APIGatewayProxyStructuredResultV2;
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>).end(result.body ?? "");
    } catch (error) {
      res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ message: String(error) }));
    }
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
