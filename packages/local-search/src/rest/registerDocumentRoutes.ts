// Document APIs: index/create/get/exists/delete/update, _source, _mget, _bulk.
import { executeBulk, parseBulk } from "./bulk.ts";
import { bulkProjection, renderProjected } from "./bulkProjection.ts";
import type { Cluster } from "../cluster/Cluster.ts";
import { deleteDocument, indexDocument, parseVersionType, updateDocument, updateGet, updateSourceFilter, validateUpdateBody, type WriteOptions, type WriteResult } from "./documentWrites.ts";
import { illegalArgument, LOCAL, parsingError, SearchError } from "../errors.ts";
import type { IndexStore } from "../index/IndexStore.ts";
import { JsonOut } from "../http/JsonOut.ts";
import { boolParam, jsonBody, numParam, refreshParam } from "../http/requestParams.ts";
import type { RestRequest, RestResponse, Router } from "../http/Router.ts";
import { applySourceFilter, FETCH_ALL, isIdentity, parseSourceFilter, type SourceFilter, sourceFilterFromParams } from "../hits/sourceFilter.ts";

const WRITE_PARAMS = ["if_seq_no", "if_primary_term", "version", "version_type", "op_type", "refresh", "routing", "pipeline", "wait_for_active_shards", "require_alias"];
const GET_PARAMS = ["_source", "_source_includes", "_source_excludes", "_source_include", "_source_exclude", "realtime", "refresh", "routing", "preference", "stored_fields", "version", "version_type"];

function writeOptions(req: RestRequest): WriteOptions {
  if (req.params.has("pipeline") && req.params.get("pipeline") !== "_none") throw illegalArgument(`ingest pipelines are not supported by ${LOCAL}`);
  if (boolParam(req, "require_alias", false)) throw illegalArgument(`[require_alias] is not supported by ${LOCAL} (there are no aliases)`);
  return {
    ifSeqNo: numParam(req, "if_seq_no"),
    ifPrimaryTerm: numParam(req, "if_primary_term"),
    version: numParam(req, "version"),
    versionType: parseVersionType(req.params.get("version_type") ?? undefined),
  };
}

/** Applies the refresh parameter of a write, then waits for durability. */
async function finishWrite(cluster: Cluster, req: RestRequest, indices: Iterable<string>, body: Record<string, unknown>): Promise<void> {
  const policy = refreshParam(req);
  if (policy !== "false") {
    for (const n of indices) cluster.indices.get(n)?.refresh();
    if (policy === "true") body.forced_refresh = true;
  }
  await cluster.sync();
}

function publicResult(r: WriteResult): Record<string, unknown> {
  const { status: _status, ...rest } = r;
  return rest;
}

function renderGet(out: JsonOut, index: IndexStore, id: string, filter: SourceFilter): Record<string, unknown> {
  const doc = index.lookup(id);
  if (!doc) return { _index: index.name, _id: id, found: false };
  const body: Record<string, unknown> = { _index: index.name, _id: id, _version: doc.version, _seq_no: doc.seqNo, _primary_term: index.primaryTerm, found: true };
  if (filter.fetch) {
    const text = index.sourceString(doc.slot);
    body._source = isIdentity(filter) ? out.raw(text) : applySourceFilter(JSON.parse(text) as Record<string, unknown>, filter);
  }
  return body;
}

export function registerDocumentRoutes(router: Router, cluster: Cluster): void {
  const put = (opType: "index" | "create") => async (req: RestRequest, p: Record<string, string>): Promise<RestResponse> => {
    const op = req.params.get("op_type") ?? opType;
    if (op !== "index" && op !== "create") throw illegalArgument(`opType must be 'create' or 'index', found: [${op}]`);
    if (req.body.length === 0) throw new SearchError(400, "action_request_validation_exception", "Validation Failed: 1: source is missing;2: content type is missing;");
    const r = indexDocument(cluster, p.index!, p.id ?? null, req.body.toString("utf8"), op, writeOptions(req));
    const body = publicResult(r);
    await finishWrite(cluster, req, [r._index], body);
    return { status: r.status, body };
  };
  router.add(["PUT", "POST"], "/{index}/_doc/{id}", WRITE_PARAMS, put("index"));
  router.add("POST", "/{index}/_doc", WRITE_PARAMS, put("create"));
  router.add(["PUT", "POST"], "/{index}/_create/{id}", WRITE_PARAMS, put("create"));

  router.add("GET", "/{index}/_doc/{id}", GET_PARAMS, (req, p) => {
    if (req.params.has("stored_fields")) throw illegalArgument(`[stored_fields] is not supported by ${LOCAL}`);
    const index = cluster.requireIndex(p.index!);
    if (boolParam(req, "refresh", false)) index.refresh();
    const out = new JsonOut();
    const body = renderGet(out, index, p.id!, sourceFilterFromParams(req.params) ?? FETCH_ALL);
    return { status: body.found ? 200 : 404, json: out.stringify(body) };
  });
  router.add("HEAD", "/{index}/_doc/{id}", GET_PARAMS, (_req, p) => {
    const index = cluster.indices.get(p.index!);
    return { status: index && index.lookup(p.id!) ? 200 : 404 };
  });
  router.add("GET", "/{index}/_source/{id}", GET_PARAMS, (req, p) => {
    const index = cluster.requireIndex(p.index!);
    const doc = index.lookup(p.id!);
    if (!doc) throw new SearchError(404, "resource_not_found_exception", `Document not found [${index.name}]/[_doc]/[${p.id}]`);
    const filter = sourceFilterFromParams(req.params) ?? FETCH_ALL;
    const text = index.sourceString(doc.slot);
    return isIdentity(filter) ? { status: 200, json: text } : { status: 200, body: applySourceFilter(JSON.parse(text) as Record<string, unknown>, filter) };
  });
  router.add("HEAD", "/{index}/_source/{id}", GET_PARAMS, (_req, p) => {
    const index = cluster.indices.get(p.index!);
    return { status: index && index.lookup(p.id!) ? 200 : 404 };
  });
  router.add("DELETE", "/{index}/_doc/{id}", WRITE_PARAMS, async (req, p) => {
    const r = deleteDocument(cluster, p.index!, p.id!, writeOptions(req));
    const body = publicResult(r);
    await finishWrite(cluster, req, [r._index], body);
    return { status: r.status, body };
  });
  router.add("POST", "/{index}/_update/{id}", [...WRITE_PARAMS, "retry_on_conflict", "_source", "_source_includes", "_source_excludes", "lang"], async (req, p) => {
    const body = validateUpdateBody(jsonBody(req, true));
    const fetch = sourceFilterFromParams(req.params) ?? updateSourceFilter(body._source);
    const opts = writeOptions(req);
    const raw = body as Record<string, unknown>;
    if (raw.if_seq_no !== undefined) opts.ifSeqNo = Number(raw.if_seq_no);
    if (raw.if_primary_term !== undefined) opts.ifPrimaryTerm = Number(raw.if_primary_term);
    const r = updateDocument(cluster, p.index!, p.id!, body, opts);
    const { source: _src, ...rest } = r;
    const out = publicResult(rest);
    if (fetch && fetch.fetch) out.get = updateGet(r, fetch);
    await finishWrite(cluster, req, [r._index], out);
    return { status: r.status, body: out };
  });

  const mget = (req: RestRequest, p: Record<string, string>): RestResponse => {
    const body = jsonBody(req, true) as Record<string, unknown>;
    if (typeof body !== "object" || body === null) throw parsingError("request body must be an object");
    const defaultFilter = sourceFilterFromParams(req.params) ?? FETCH_ALL;
    let specs: { index: string | undefined; id: string; filter: SourceFilter }[];
    if (Array.isArray(body.docs)) {
      specs = body.docs.map((d: unknown) => {
        const o = d as Record<string, unknown>;
        if (o.stored_fields !== undefined) throw illegalArgument(`[stored_fields] is not supported by ${LOCAL}`);
        return { index: o._index !== undefined ? String(o._index) : p.index, id: String(o._id), filter: o._source !== undefined ? parseSourceFilter(o._source) : defaultFilter };
      });
    } else if (Array.isArray(body.ids)) {
      specs = body.ids.map((id: unknown) => ({ index: p.index, id: String(id), filter: defaultFilter }));
    } else throw new SearchError(400, "action_request_validation_exception", "Validation Failed: 1: no documents to get;");
    const missingIndex = specs.findIndex((s) => s.index === undefined);
    if (missingIndex >= 0) throw new SearchError(400, "action_request_validation_exception", `Validation Failed: ${missingIndex + 1}: index is missing for doc ${missingIndex};`);
    const out = new JsonOut();
    const docs = specs.map((s) => {
      const index = cluster.indices.get(s.index!);
      if (!index) {
        const e = new SearchError(404, "index_not_found_exception", `no such index [${s.index}]`, { extra: { "resource.type": "index_expression", "resource.id": s.index, index_uuid: "_na_", index: s.index } });
        return { _index: s.index, _id: s.id, error: e.toCause() };
      }
      return renderGet(out, index, s.id, s.filter);
    });
    return { status: 200, json: out.stringify({ docs }) };
  };
  router.add(["GET", "POST"], "/_mget", GET_PARAMS, mget);
  router.add(["GET", "POST"], "/{index}/_mget", GET_PARAMS, mget);

  const bulk = async (req: RestRequest, p: Record<string, string>): Promise<RestResponse> => {
    const started = performance.now();
    if (req.params.has("pipeline") && req.params.get("pipeline") !== "_none") throw illegalArgument(`ingest pipelines are not supported by ${LOCAL}`);
    if (boolParam(req, "require_alias", false)) throw illegalArgument(`[require_alias] is not supported by ${LOCAL} (there are no aliases)`);
    if (req.params.has("_source") || req.params.has("_source_includes") || req.params.has("_source_excludes")) throw illegalArgument(`[_source] on _bulk is not supported by ${LOCAL}`);
    const items = parseBulk(req.body, p.index);
    const policy = refreshParam(req);
    const projection = bulkProjection(req.params.get("filter_path"), req.params.has("pretty"));
    const keep = projection && projection.items !== "all" ? (projection.items ?? new Set<string>()) : null;
    const result = executeBulk(cluster, items, policy === "true", keep);
    if (policy !== "false") for (const n of result.touched) cluster.indices.get(n)?.refresh();
    await cluster.sync();
    const took = Math.round(performance.now() - started);
    if (projection) return { status: 200, json: renderProjected(projection, took, result.errors, result.itemsJson), filtered: true };
    return { status: 200, json: `{"took":${took},"errors":${result.errors},"items":${result.itemsJson}}` };
  };
  const bulkParams = ["refresh", "routing", "pipeline", "wait_for_active_shards", "require_alias", "_source", "_source_includes", "_source_excludes", "type"];
  router.add(["POST", "PUT"], "/_bulk", bulkParams, bulk);
  router.add(["POST", "PUT"], "/{index}/_bulk", bulkParams, bulk);
}
