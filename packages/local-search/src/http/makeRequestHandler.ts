// node:http plumbing: body reading (readRequestBody.ts), the nesting limit, JSON
// responses with Content-Type application/json, filter_path, error rendering.
import { appendFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_MAX_CONTENT_LENGTH, readRequestBody } from "./readRequestBody.ts";
import { asSearchError, SearchError } from "../errors.ts";
import { applyFilterPath } from "./applyFilterPath.ts";
import { checkJsonDepth } from "./checkJsonDepth.ts";
import type { RestRequest, RestResponse, Router } from "./Router.ts";

function send(res: ServerResponse, method: string, status: number, text: string | null): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string | number> = { "content-type": "application/json; charset=UTF-8" };
  if (text !== null) {
    const buf = Buffer.from(text, "utf8");
    headers["content-length"] = buf.length;
    res.writeHead(status, headers);
    res.end(method === "HEAD" ? undefined : buf);
  } else {
    headers["content-length"] = 0;
    res.writeHead(status, headers);
    res.end();
  }
}

export interface HttpLimits {
  /** http.max_content_length, in bytes: for the body as sent and as decompressed. */
  maxContentLength: number;
}

export function makeRequestHandler(router: Router, limits: HttpLimits = { maxContentLength: DEFAULT_MAX_CONTENT_LENGTH }): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(router, req, res, limits);
  };
}

/** SEARCH_TRACE=1 (stderr) or SEARCH_TRACE=<file> logs one line per request: method, path, status, server time. */
const TRACE = process.env.SEARCH_TRACE;

function trace(line: string): void {
  if (TRACE === "1") process.stderr.write(line);
  else appendFileSync(TRACE!, line);
}

async function handle(router: Router, req: IncomingMessage, res: ServerResponse, limits: HttpLimits): Promise<void> {
  if (TRACE) {
    const t0 = performance.now();
    res.once("finish", () => trace(`${new Date().toISOString()} [search] ${req.method} ${req.url} ${res.statusCode} ${(performance.now() - t0).toFixed(1)}ms\n`));
  }
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://localhost");
  const pretty = url.searchParams.has("pretty");
  const filterPath = url.searchParams.get("filter_path");
  try {
    const body = await readRequestBody(req, limits.maxContentLength);
    checkJsonDepth(body);
    const rest: RestRequest = { method, path: url.pathname, params: url.searchParams, body, headers: req.headers };
    const { handler, params } = router.resolve(rest);
    const out: RestResponse = await handler(rest, params);
    if (out.body === undefined && out.json === undefined) {
      send(res, method, out.status, null);
      return;
    }
    let text: string;
    if (filterPath !== null && out.filtered !== true) {
      const value = out.json !== undefined ? (JSON.parse(out.json) as unknown) : out.body;
      text = JSON.stringify(applyFilterPath(value, filterPath), null, pretty ? 2 : undefined);
    } else if (out.json !== undefined) text = out.json;
    else text = JSON.stringify(out.body, null, pretty ? 2 : undefined);
    send(res, method, out.status, text);
  } catch (err) {
    const e = asSearchError(err);
    if (!(err instanceof SearchError)) console.error("[search] internal error", err);
    // Never 502/503/504: the client would mark the node dead.
    const status = e.status === 502 || e.status === 503 || e.status === 504 ? 500 : e.status;
    send(res, method, status, JSON.stringify(e.toBody(), null, pretty ? 2 : undefined));
  }
}
