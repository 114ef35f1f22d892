// node:http plumbing: body reading (gzip/deflate aware, size-limited), JSON
// responses with Content-Type application/json, filter_path, error rendering.
import { appendFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import { asSearchError, SearchError } from "./errors.ts";
import { applyFilterPath } from "./filter-path.ts";
import type { RestRequest, RestResponse, Router } from "./router.ts";

const MAX_CONTENT_LENGTH = 100 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_CONTENT_LENGTH) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => {
      if (tooLarge) {
        reject(new SearchError(413, "content_too_long_exception", `request body is larger than http.max_content_length [${MAX_CONTENT_LENGTH}b]`));
        return;
      }
      let body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const enc = String(req.headers["content-encoding"] ?? "").toLowerCase();
      try {
        if (enc.includes("gzip")) body = gunzipSync(body);
        else if (enc.includes("deflate")) body = inflateSync(body);
      } catch (err) {
        reject(new SearchError(400, "illegal_argument_exception", `failed to decode ${enc} request body: ${(err as Error).message}`));
        return;
      }
      resolve(body);
    });
    req.on("error", reject);
  });
}

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

export function makeRequestHandler(router: Router): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(router, req, res);
  };
}

/** SEARCH_TRACE=1 (stderr) or SEARCH_TRACE=<file> logs one line per request: method, path, status, server time. */
const TRACE = process.env.SEARCH_TRACE;

function trace(line: string): void {
  if (TRACE === "1") process.stderr.write(line);
  else appendFileSync(TRACE!, line);
}

async function handle(router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (TRACE) {
    const t0 = performance.now();
    res.once("finish", () => trace(`${new Date().toISOString()} [search] ${req.method} ${req.url} ${res.statusCode} ${(performance.now() - t0).toFixed(1)}ms\n`));
  }
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://localhost");
  const pretty = url.searchParams.has("pretty");
  const filterPath = url.searchParams.get("filter_path");
  try {
    const body = await readBody(req);
    const rest: RestRequest = { method, path: url.pathname, params: url.searchParams, body, headers: req.headers };
    const { handler, params } = router.resolve(rest);
    const out: RestResponse = await handler(rest, params);
    if (out.body === undefined && out.json === undefined) {
      send(res, method, out.status, null);
      return;
    }
    let text: string;
    if (filterPath !== null) {
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
