// _source filtering: true/false, a pattern, a list of patterns, or
// {includes, excludes} with "*" wildcards, applied on dotted paths.
import { globMatch } from "../text/glob.ts";
import { parsingError } from "../errors.ts";

export interface SourceFilter {
  fetch: boolean;
  includes: string[];
  excludes: string[];
}

export const FETCH_ALL: SourceFilter = { fetch: true, includes: [], excludes: [] };

function toList(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return v === "" ? [] : [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  throw parsingError(`[_source] ${what} must be a string or an array of strings`);
}

export function parseSourceFilter(v: unknown): SourceFilter {
  if (v === undefined || v === null || v === true) return FETCH_ALL;
  if (v === false) return { fetch: false, includes: [], excludes: [] };
  if (typeof v === "string" || Array.isArray(v)) return { fetch: true, includes: toList(v, "value"), excludes: [] };
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!["includes", "include", "excludes", "exclude"].includes(k)) throw parsingError(`Unknown key for a START_ARRAY in [${k}].`);
    }
    return { fetch: true, includes: toList(o.includes ?? o.include, "includes"), excludes: toList(o.excludes ?? o.exclude, "excludes") };
  }
  throw parsingError("[_source] must be a boolean, a string, an array or an object");
}

/** Builds a filter from the URL parameters _source, _source_includes, _source_excludes. */
export function sourceFilterFromParams(params: URLSearchParams): SourceFilter | undefined {
  const s = params.get("_source");
  const inc = params.get("_source_includes") ?? params.get("_source_include");
  const exc = params.get("_source_excludes") ?? params.get("_source_exclude");
  if (s === null && inc === null && exc === null) return undefined;
  if (s === "false") return { fetch: false, includes: [], excludes: [] };
  const includes = inc !== null ? inc.split(",") : s !== null && s !== "true" ? s.split(",") : [];
  return { fetch: true, includes: includes.filter((x) => x !== ""), excludes: exc !== null ? exc.split(",").filter((x) => x !== "") : [] };
}

export function isIdentity(f: SourceFilter): boolean {
  return f.fetch && f.includes.length === 0 && f.excludes.length === 0;
}

/** Could a pattern match `path` or something below it? */
function couldMatchBelow(pattern: string, path: string): boolean {
  if (pattern.includes("*")) {
    const prefix = pattern.slice(0, pattern.indexOf("*"));
    return prefix.startsWith(path + ".") || (path + ".").startsWith(prefix) || prefix === "";
  }
  return pattern.startsWith(path + ".");
}

function filterValue(value: unknown, path: string, f: SourceFilter, included: boolean): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      if (v !== null && typeof v === "object") {
        const fv = filterValue(v, path, f, included);
        if (fv !== undefined) out.push(fv);
      } else if (included) out.push(v);
    }
    return out.length > 0 || included ? out : undefined;
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    let any = false;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const childPath = path ? `${path}.${k}` : k;
      if (f.excludes.some((p) => globMatch(p, childPath))) continue;
      const childIncluded = included || f.includes.some((p) => globMatch(p, childPath));
      if (!childIncluded && !(v !== null && typeof v === "object" && f.includes.some((p) => couldMatchBelow(p, childPath)))) continue;
      const fv = filterValue(v, childPath, f, childIncluded);
      if (fv === undefined) continue;
      out[k] = fv;
      any = true;
    }
    return any || included ? out : undefined;
  }
  return included ? value : undefined;
}

export function applySourceFilter(source: Record<string, unknown>, f: SourceFilter): Record<string, unknown> {
  const all = f.includes.length === 0;
  return (filterValue(source, "", f, all) as Record<string, unknown> | undefined) ?? {};
}
