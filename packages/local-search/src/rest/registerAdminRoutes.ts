// Cluster and index administration: info, health, create/get/delete index,
// mappings, settings, refresh/flush, index templates.
import { randomUUID } from "node:crypto";
import type { Cluster } from "../cluster/Cluster.ts";
import { SearchError, unsupported } from "../errors.ts";
import type { IndexStore } from "../index/IndexStore.ts";
import { boolParam, jsonBody } from "../http/requestParams.ts";
import type { RestRequest, RestResponse, Router } from "../http/Router.ts";
import { nestSettings } from "../index/indexSettings.ts";

export const VERSION = "2.19.0";
const CLUSTER_NAME = "cryptoviz-local";

function expandOpts(req: RestRequest, defaults: { ignoreUnavailable: boolean; allowNoIndices: boolean }): { ignoreUnavailable: boolean; allowNoIndices: boolean } {
  return {
    ignoreUnavailable: boolParam(req, "ignore_unavailable", defaults.ignoreUnavailable),
    allowNoIndices: boolParam(req, "allow_no_indices", defaults.allowNoIndices),
  };
}

function indexSettings(ix: IndexStore): Record<string, unknown> {
  return nestSettings({
    ...ix.settings,
    "index.creation_date": String(ix.creationDate),
    "index.uuid": ix.uuid,
    "index.version.created": "136408127",
    "index.provided_name": ix.name,
  });
}

export function registerAdminRoutes(router: Router, cluster: Cluster): void {
  const clusterUuid = randomUUID();
  const info = (): RestResponse => ({
    status: 200,
    body: {
      name: CLUSTER_NAME,
      cluster_name: CLUSTER_NAME,
      cluster_uuid: clusterUuid,
      version: {
        distribution: "opensearch",
        number: VERSION,
        build_type: "tar",
        build_hash: "cryptoviz-local",
        build_date: "2025-01-01T00:00:00.000000Z",
        build_snapshot: false,
        lucene_version: "9.12.1",
        minimum_wire_compatibility_version: "7.10.0",
        minimum_index_compatibility_version: "7.0.0",
      },
      tagline: "The OpenSearch Project: https://opensearch.org/",
    },
  });
  router.add(["GET", "HEAD"], "/", [], info);

  const health = (req: RestRequest, p: Record<string, string>): RestResponse => {
    let indices: IndexStore[];
    let missing = false;
    try {
      indices = cluster.resolve(p.index, { allowNoIndices: true });
    } catch (err) {
      if (!(err instanceof SearchError) || err.status !== 404) throw err;
      indices = [];
      missing = true;
    }
    const shards = indices.length;
    const body: Record<string, unknown> = {
      cluster_name: CLUSTER_NAME,
      status: missing ? "red" : "green",
      timed_out: missing,
      number_of_nodes: 1,
      number_of_data_nodes: 1,
      discovered_master: true,
      discovered_cluster_manager: true,
      active_primary_shards: shards,
      active_shards: shards,
      relocating_shards: 0,
      initializing_shards: 0,
      unassigned_shards: 0,
      delayed_unassigned_shards: 0,
      number_of_pending_tasks: 0,
      number_of_in_flight_fetch: 0,
      task_max_waiting_in_queue_millis: 0,
      active_shards_percent_as_number: 100.0,
    };
    if (req.params.get("level") === "indices") {
      body.indices = Object.fromEntries(indices.map((i) => [i.name, { status: "green", number_of_shards: 1, number_of_replicas: i.replicas, active_primary_shards: 1, active_shards: 1, relocating_shards: 0, initializing_shards: 0, unassigned_shards: 0 }]));
    }
    return { status: missing ? 408 : 200, body };
  };
  const healthParams = ["wait_for_status", "level", "local", "wait_for_active_shards", "wait_for_nodes", "wait_for_events", "wait_for_no_relocating_shards", "wait_for_no_initializing_shards", "expand_wildcards", "awareness_attribute"];
  router.add("GET", "/_cluster/health", healthParams, health);
  router.add("GET", "/_cluster/health/{index}", healthParams, health);

  // ---- indices ----
  router.add("PUT", "/{index}", ["wait_for_active_shards"], async (req, p) => {
    const index = cluster.createIndex(p.index!, jsonBody(req));
    await cluster.sync();
    return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: index.name } };
  });
  router.add("HEAD", "/{index}", ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "local", "flat_settings", "include_defaults"], (req, p) => {
    try {
      const found = cluster.resolve(p.index, expandOpts(req, { ignoreUnavailable: false, allowNoIndices: false }));
      return { status: found.length > 0 ? 200 : 404 };
    } catch (err) {
      if (err instanceof SearchError && err.status === 404) return { status: 404 };
      throw err;
    }
  });
  router.add("GET", "/{index}", ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "local", "flat_settings", "include_defaults"], (req, p) => {
    const list = cluster.resolve(p.index, expandOpts(req, { ignoreUnavailable: false, allowNoIndices: true }));
    const flat = boolParam(req, "flat_settings", false);
    const body: Record<string, unknown> = {};
    for (const ix of list) {
      const settings = indexSettings(ix);
      body[ix.name] = { aliases: {}, mappings: ix.mapping.toJSON(), settings: flat ? flatten(settings) : settings };
    }
    return { status: 200, body };
  });
  router.add("DELETE", "/{index}", ["ignore_unavailable", "allow_no_indices", "expand_wildcards"], async (req, p) => {
    const expr = p.index!;
    const opts = expandOpts(req, { ignoreUnavailable: false, allowNoIndices: true });
    // resolved first, so that a missing concrete name deletes nothing
    cluster.deleteIndices(cluster.resolve(expr, opts));
    await cluster.sync();
    return { status: 200, body: { acknowledged: true } };
  });

  // ---- _cat/indices ----
  const catIndices = (req: RestRequest, p: Record<string, string>): RestResponse => {
    const list = cluster.resolve(p.index, { allowNoIndices: true });
    const rows = list.map((ix) => {
      const bytes = String(ix.memoryEstimate().sourceBytes);
      return {
        health: "green",
        status: "open",
        index: ix.name,
        uuid: ix.uuid,
        pri: "1",
        rep: String(ix.replicas),
        "docs.count": String(ix.liveCount),
        "docs.deleted": String(ix.slotCount - ix.liveCount),
        "store.size": bytes,
        "pri.store.size": bytes,
      };
    });
    const h = req.params.get("h");
    const columns = h ? h.split(",") : Object.keys(rows[0] ?? { health: 0, status: 0, index: 0, uuid: 0, pri: 0, rep: 0, "docs.count": 0, "docs.deleted": 0, "store.size": 0, "pri.store.size": 0 });
    const s = req.params.get("s");
    if (s) {
      const [col, dir] = s.split(":");
      rows.sort((a, b) => {
        const x = (a as Record<string, string>)[col!] ?? "";
        const y = (b as Record<string, string>)[col!] ?? "";
        const c = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
        return dir === "desc" ? -c : c;
      });
    }
    const picked = rows.map((r) => Object.fromEntries(columns.map((c) => [c, (r as Record<string, string>)[c] ?? null])));
    if (req.params.get("format") === "json") return { status: 200, body: picked };
    throw unsupported("_cat output other than format=json");
  };
  router.add("GET", "/_cat/indices", ["format", "h", "s", "v", "bytes", "health", "pri", "expand_wildcards", "local"], catIndices);
  router.add("GET", "/_cat/indices/{index}", ["format", "h", "s", "v", "bytes", "health", "pri", "expand_wildcards", "local"], catIndices);

  // ---- mappings & settings ----
  const getMapping = (req: RestRequest, p: Record<string, string>): RestResponse => {
    const list = cluster.resolve(p.index, expandOpts(req, { ignoreUnavailable: false, allowNoIndices: true }));
    return { status: 200, body: Object.fromEntries(list.map((ix) => [ix.name, { mappings: ix.mapping.toJSON() }])) };
  };
  const mappingParams = ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "local", "include_type_name"];
  router.add("GET", "/_mapping", mappingParams, getMapping);
  router.add("GET", "/{index}/_mapping", mappingParams, getMapping);
  router.add(["PUT", "POST"], "/{index}/_mapping", ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "write_index_only"], async (req, p) => {
    const body = jsonBody(req, true);
    const list = cluster.resolve(p.index, { allowNoIndices: false });
    for (const ix of list) cluster.putMapping(ix, body);
    await cluster.sync();
    return { status: 200, body: { acknowledged: true } };
  });
  const getSettings = (req: RestRequest, p: Record<string, string>): RestResponse => {
    const list = cluster.resolve(p.index, expandOpts(req, { ignoreUnavailable: false, allowNoIndices: true }));
    const flat = boolParam(req, "flat_settings", false);
    return { status: 200, body: Object.fromEntries(list.map((ix) => [ix.name, { settings: flat ? flatten(indexSettings(ix)) : indexSettings(ix) }])) };
  };
  const settingsParams = ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "local", "flat_settings", "include_defaults"];
  router.add("GET", "/_settings", settingsParams, getSettings);
  router.add("GET", "/{index}/_settings", settingsParams, getSettings);
  router.add("PUT", "/{index}/_settings", ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "preserve_existing", "flat_settings"], async (req, p) => {
    const body = jsonBody(req, true);
    for (const ix of cluster.resolve(p.index, { allowNoIndices: false })) cluster.putSettings(ix, body);
    await cluster.sync();
    return { status: 200, body: { acknowledged: true } };
  });

  // ---- refresh / flush ----
  const refresh = async (req: RestRequest, p: Record<string, string>): Promise<RestResponse> => {
    const list = cluster.resolve(p.index, expandOpts(req, { ignoreUnavailable: false, allowNoIndices: true }));
    for (const ix of list) ix.refresh();
    await cluster.sync();
    const total = list.reduce((n, ix) => n + 1 + ix.replicas, 0);
    return { status: 200, body: { _shards: { total, successful: total, failed: 0 } } };
  };
  // flush: like a Lucene commit + translog trim, it writes a snapshot and drops older log segments
  const flush = async (req: RestRequest, p: Record<string, string>): Promise<RestResponse> => {
    const out = await refresh(req, p);
    await cluster.snapshot();
    return out;
  };
  const rfParams = ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "force", "wait_if_ongoing"];
  for (const path of ["/_refresh", "/{index}/_refresh"]) router.add(["POST", "GET"], path, rfParams, refresh);
  for (const path of ["/_flush", "/{index}/_flush"]) router.add(["POST", "GET"], path, rfParams, flush);
  // forcemerge: one segment per index here, so merging means dropping dead revisions.
  const forceMerge = async (req: RestRequest, p: Record<string, string>): Promise<RestResponse> => {
    const list = cluster.resolve(p.index, expandOpts(req, { ignoreUnavailable: false, allowNoIndices: true }));
    for (const ix of list) ix.forceMerge();
    await cluster.sync();
    const total = list.reduce((n, ix) => n + 1 + ix.replicas, 0);
    return { status: 200, body: { _shards: { total, successful: total, failed: 0 } } };
  };
  const fmParams = ["ignore_unavailable", "allow_no_indices", "expand_wildcards", "only_expunge_deletes", "max_num_segments", "flush", "wait_for_completion", "primary_only"];
  for (const path of ["/_forcemerge", "/{index}/_forcemerge"]) router.add("POST", path, fmParams, forceMerge);

  // ---- index templates ----
  router.add(["PUT", "POST"], "/_index_template/{name}", ["create", "cause"], async (req, p) => {
    cluster.putTemplate(p.name!, jsonBody(req, true), boolParam(req, "create", false));
    await cluster.sync();
    return { status: 200, body: { acknowledged: true } };
  });
  router.add("GET", "/_index_template", ["local", "flat_settings"], () => ({ status: 200, body: cluster.templates.render(null) }));
  router.add("GET", "/_index_template/{name}", ["local", "flat_settings"], (_req, p) => ({ status: 200, body: cluster.templates.render(cluster.templates.resolve(p.name!), p.name) }));
  router.add("HEAD", "/_index_template/{name}", ["local", "flat_settings"], (_req, p) => ({ status: cluster.templates.resolve(p.name!).length > 0 ? 200 : 404 }));
  router.add("DELETE", "/_index_template/{name}", [], async (_req, p) => {
    cluster.deleteTemplate(p.name!);
    await cluster.sync();
    return { status: 200, body: { acknowledged: true } };
  });
  const legacy = (): RestResponse => {
    throw unsupported("legacy index templates (_template); use composable templates (_index_template)");
  };
  router.add(["GET", "PUT", "POST", "DELETE", "HEAD"], "/_template/{name}", [], legacy);
  router.add("GET", "/_template", [], legacy);
}

function flatten(obj: Record<string, unknown>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}
