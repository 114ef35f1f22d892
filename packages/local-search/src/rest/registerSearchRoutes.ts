// _search, _count and _delete_by_query.
import type { Cluster } from "../cluster/Cluster.ts";
import { deleteDocument } from "./documentWrites.ts";
import { illegalArgument, LOCAL, parsingError, SearchError } from "../errors.ts";
import { parseQuery } from "../query/parseQuery.ts";
import { boolParam, jsonBody, numParam, refreshParam } from "../http/requestParams.ts";
import type { RestRequest, RestResponse, Router } from "../http/Router.ts";
import { executeCount, executeSearch, matchingIds, parseCountRequest, parseSearchRequest } from "./executeSearch.ts";

const SEARCH_PARAMS = [
  "from", "size", "sort", "_source", "_source_includes", "_source_excludes", "_source_include", "_source_exclude",
  "track_total_hits", "track_scores", "version", "seq_no_primary_term", "rest_total_hits_as_int", "ignore_unavailable",
  "allow_no_indices", "expand_wildcards", "typed_keys", "request_cache", "preference", "routing", "search_type",
  "batched_reduce_size", "max_concurrent_shard_requests", "pre_filter_shard_size", "allow_partial_search_results",
  "ccs_minimize_roundtrips", "q", "df", "default_operator", "scroll", "ignore_throttled", "phase_took", "cancel_after_time_interval",
];

function resolveOpts(req: RestRequest): { ignoreUnavailable: boolean; allowNoIndices: boolean } {
  return { ignoreUnavailable: boolParam(req, "ignore_unavailable", false), allowNoIndices: boolParam(req, "allow_no_indices", true) };
}

export function registerSearchRoutes(router: Router, cluster: Cluster): void {
  const search = (req: RestRequest, p: Record<string, string>): RestResponse => {
    const started = performance.now();
    if (boolParam(req, "typed_keys", false)) throw illegalArgument(`[typed_keys] is not supported by ${LOCAL}`);
    const st = req.params.get("search_type");
    if (st !== null && st !== "query_then_fetch" && st !== "dfs_query_then_fetch") throw illegalArgument(`No search type for [${st}]`);
    const parsed = parseSearchRequest(jsonBody(req), req.params);
    const indices = cluster.resolve(p.index, resolveOpts(req));
    return { status: 200, json: executeSearch(indices, parsed, { started, pretty: req.params.has("pretty") }) };
  };
  router.add(["GET", "POST"], "/_search", SEARCH_PARAMS, search);
  router.add(["GET", "POST"], "/{index}/_search", SEARCH_PARAMS, search);

  const msearch = (req: RestRequest, p: Record<string, string>): RestResponse => {
    const started = performance.now();
    if (boolParam(req, "typed_keys", false)) throw illegalArgument(`[typed_keys] is not supported by ${LOCAL}`);
    const text = req.body.toString("utf8");
    if (text.trim() === "") throw new SearchError(400, "parse_exception", "request body is required");
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    if (lines.length % 2 !== 0) throw illegalArgument("The msearch request must be terminated by a newline [\\n]");
    const responses: string[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      let header: Record<string, unknown>;
      let body: unknown;
      try {
        header = JSON.parse(lines[i]!) as Record<string, unknown>;
        body = JSON.parse(lines[i + 1]!);
      } catch (err) {
        throw new SearchError(400, "x_content_parse_exception", `[msearch] line ${i + 1}: ${(err as Error).message}`);
      }
      // A header that is not an object (null, a number, a list) is the request's fault, not a 500.
      if (typeof header !== "object" || header === null || Array.isArray(header)) {
        throw new SearchError(400, "x_content_parse_exception", `[msearch] line ${i + 1}: expected START_OBJECT but found [${header === null ? "VALUE_NULL" : Array.isArray(header) ? "START_ARRAY" : "VALUE"}]`);
      }
      try {
        const params = new URLSearchParams();
        for (const k of ["ignore_unavailable", "allow_no_indices", "rest_total_hits_as_int"]) {
          const v = header[k] ?? req.params.get(k);
          if (v !== undefined && v !== null) params.set(k, String(v));
        }
        const parsed = parseSearchRequest(body, params);
        const idx = header.index === undefined ? p.index : Array.isArray(header.index) ? header.index.join(",") : String(header.index);
        const indices = cluster.resolve(idx, { ignoreUnavailable: params.get("ignore_unavailable") === "true", allowNoIndices: params.get("allow_no_indices") !== "false" });
        const json = executeSearch(indices, parsed);
        responses.push(json.slice(0, -1) + ',"status":200}');
      } catch (err) {
        if (!(err instanceof SearchError)) throw err;
        const b = err.toBody();
        responses.push(JSON.stringify({ error: b.error, status: b.status }));
      }
    }
    return { status: 200, json: `{"took":${Math.round(performance.now() - started)},"responses":[${responses.join(",")}]}` };
  };
  const msearchParams = ["search_type", "max_concurrent_searches", "typed_keys", "pre_filter_shard_size", "max_concurrent_shard_requests", "rest_total_hits_as_int", "ccs_minimize_roundtrips", "ignore_unavailable", "allow_no_indices", "expand_wildcards"];
  router.add(["GET", "POST"], "/_msearch", msearchParams, msearch);
  router.add(["GET", "POST"], "/{index}/_msearch", msearchParams, msearch);

  const count = (req: RestRequest, p: Record<string, string>): RestResponse => {
    const query = parseCountRequest(jsonBody(req), req.params);
    const indices = cluster.resolve(p.index, resolveOpts(req));
    return { status: 200, body: executeCount(indices, query) };
  };
  const countParams = ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "min_score", "preference", "routing", "q", "terminate_after", "analyzer", "default_operator", "df", "lenient"];
  router.add(["GET", "POST"], "/_count", countParams, count);
  router.add(["GET", "POST"], "/{index}/_count", countParams, count);

  router.add(
    "POST",
    "/{index}/_delete_by_query",
    ["conflicts", "refresh", "max_docs", "size", "wait_for_completion", "slices", "scroll_size", "requests_per_second", "ignore_unavailable", "allow_no_indices", "expand_wildcards", "routing", "wait_for_active_shards", "q", "scroll", "search_timeout"],
    async (req, p) => {
      const started = performance.now();
      if (req.params.has("q")) throw illegalArgument(`the [q] URI search parameter is not supported by ${LOCAL}; send a query body`);
      if (!boolParam(req, "wait_for_completion", true)) throw illegalArgument(`asynchronous _delete_by_query (wait_for_completion=false) is not supported by ${LOCAL}`);
      const conflicts = req.params.get("conflicts") ?? "abort";
      if (conflicts !== "abort" && conflicts !== "proceed") throw illegalArgument(`conflicts may only be "proceed" or "abort" but was [${conflicts}]`);
      const body = (jsonBody(req, true) ?? {}) as Record<string, unknown>;
      for (const k of Object.keys(body)) if (k !== "query" && k !== "max_docs") throw parsingError(`[delete_by_query] unknown field [${k}]`);
      if (body.query === undefined) throw new SearchError(400, "action_request_validation_exception", "Validation Failed: 1: query is missing;");
      const query = parseQuery(body.query);
      const maxDocs = body.max_docs !== undefined ? Number(body.max_docs) : (numParam(req, "max_docs") ?? Infinity);
      const indices = cluster.resolve(p.index, resolveOpts(req));
      let total = 0;
      let deleted = 0;
      let conflictsCount = 0;
      const failures: unknown[] = [];
      outer: for (const index of indices) {
        for (const { id, seqNo } of matchingIds(index, query)) {
          if (total >= maxDocs) break outer;
          total++;
          const current = index.lookup(id);
          // The document changed since the refreshed view was taken: a version conflict, like
          // OpenSearch. Compared by sequence number: a merge during the loop moves slots, not revisions.
          if (!current || current.seqNo !== seqNo) {
            conflictsCount++;
            if (conflicts === "abort") {
              failures.push({ index: index.name, id, cause: { type: "version_conflict_engine_exception", reason: `[${id}]: version conflict, document was modified since the search`, index: index.name, shard: "0", index_uuid: index.uuid }, status: 409 });
              break outer;
            }
            continue;
          }
          deleteDocument(cluster, index.name, id, { ifSeqNo: current.seqNo, ifPrimaryTerm: index.primaryTerm });
          deleted++;
        }
      }
      if (refreshParam(req) !== "false") for (const ix of indices) ix.refresh();
      await cluster.sync();
      return {
        status: failures.length > 0 ? 409 : 200,
        body: {
          took: Math.round(performance.now() - started),
          timed_out: false,
          total,
          deleted,
          batches: total > 0 ? Math.ceil(total / 1000) : 0,
          version_conflicts: conflictsCount,
          noops: 0,
          retries: { bulk: 0, search: 0 },
          throttled_millis: 0,
          requests_per_second: -1.0,
          throttled_until_millis: 0,
          failures,
        },
      };
    },
  );
}
