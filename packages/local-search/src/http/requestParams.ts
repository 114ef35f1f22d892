// Request body and parameter helpers shared by the REST handlers.
import { illegalArgument, SearchError } from "../errors.ts";
import type { RestRequest } from "./Router.ts";

export function jsonBody(req: RestRequest, required = false): unknown {
  if (req.body.length === 0 || req.body.toString("utf8").trim() === "") {
    if (required) throw new SearchError(400, "parse_exception", "request body is required");
    return undefined;
  }
  const text = req.body.toString("utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SearchError(400, "x_content_parse_exception", `Failed to parse request body: ${(err as Error).message}`, {
      causedBy: { type: "json_parse_exception", reason: (err as Error).message },
    });
  }
}

export function boolParam(req: RestRequest, name: string, def: boolean): boolean {
  const v = req.params.get(name);
  if (v === null) return def;
  if (v === "" || v === "true") return true;
  if (v === "false") return false;
  throw illegalArgument(`Failed to parse value [${v}] as only [true] or [false] are allowed.`);
}

export function numParam(req: RestRequest, name: string): number | undefined {
  const v = req.params.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n)) throw illegalArgument(`Failed to parse value [${v}] for parameter [${name}]`);
  return n;
}

export type RefreshPolicy = "false" | "true" | "wait_for";

export function refreshParam(req: RestRequest): RefreshPolicy {
  const v = req.params.get("refresh");
  if (v === null || v === "false") return "false";
  if (v === "" || v === "true") return "true";
  if (v === "wait_for") return "wait_for";
  throw illegalArgument(`Unknown value for refresh: [${v}].`);
}
