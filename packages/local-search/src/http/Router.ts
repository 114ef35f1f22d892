// Request/response types and the route table: OpenSearch-style path patterns,
// 405 for known paths with a wrong method, and a clear 400 for everything else.
import { LOCAL, SearchError } from "../errors.ts";

export interface RestRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export interface RestResponse {
  status: number;
  /** A JSON value, or pre-rendered JSON text. */
  body?: unknown;
  json?: string;
  /** The handler applied the request's filter_path itself. */
  filtered?: boolean;
}

export type Handler = (req: RestRequest, p: Record<string, string>) => RestResponse | Promise<RestResponse>;

interface Route {
  methods: string[];
  segments: string[];
  handler: Handler;
  params: string[];
}

/** Query parameters every route accepts. */
const COMMON_PARAMS = ["pretty", "human", "error_trace", "filter_path", "format", "timeout", "master_timeout", "cluster_manager_timeout"];

export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | string[], pattern: string, params: string[], handler: Handler): void {
    this.routes.push({
      methods: Array.isArray(methods) ? methods : [methods],
      segments: pattern.split("/").filter((s) => s !== ""),
      handler,
      params,
    });
  }

  private match(route: Route, segs: string[]): Record<string, string> | null {
    if (route.segments.length !== segs.length) return null;
    const out: Record<string, string> = {};
    for (let i = 0; i < segs.length; i++) {
      const pat = route.segments[i]!;
      const seg = segs[i]!;
      if (pat.startsWith("{")) {
        const name = pat.slice(1, -1);
        // index names never start with "_" (except _all); such segments are API names
        if (name === "index" && seg.startsWith("_") && seg !== "_all") return null;
        out[name] = seg;
      } else if (pat !== seg) return null;
    }
    return out;
  }

  resolve(req: RestRequest): { handler: Handler; params: Record<string, string> } {
    let segs: string[];
    try {
      segs = req.path.split("/").filter((s) => s !== "").map((s) => decodeURIComponent(s));
    } catch {
      throw new SearchError(400, "illegal_argument_exception", `unable to decode uri [${req.path}]`);
    }
    const allowed: string[] = [];
    for (const r of this.routes) {
      const m = this.match(r, segs);
      if (!m) continue;
      if (!r.methods.includes(req.method)) {
        allowed.push(...r.methods);
        continue;
      }
      for (const key of req.params.keys()) {
        if (!r.params.includes(key) && !COMMON_PARAMS.includes(key)) {
          throw new SearchError(400, "illegal_argument_exception", `request [${req.path}] contains unrecognized parameter: [${key}]`);
        }
      }
      return { handler: r.handler, params: m };
    }
    if (allowed.length > 0) {
      throw new SearchError(405, "method_not_allowed", `Incorrect HTTP method for uri [${req.path}] and method [${req.method}], allowed: [${[...new Set(allowed)].join(", ")}]`);
    }
    throw new SearchError(400, "illegal_argument_exception", `no handler found for uri [${req.path}] and method [${req.method}] (this OpenSearch API is not supported by ${LOCAL})`);
  }
}
