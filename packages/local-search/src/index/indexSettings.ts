// Index settings: normalisation to flat "index.*" keys (OpenSearch accepts
// nested and flat forms), validation against the settings this endpoint knows,
// and rendering back as nested JSON with string values.
import { illegalArgument, LOCAL, SearchError } from "../errors.ts";

export type FlatSettings = Record<string, string>;

const DYNAMIC = new Set([
  "index.number_of_replicas",
  "index.refresh_interval",
  "index.max_result_window",
  "index.mapping.total_fields.limit",
  "index.auto_expand_replicas",
  "index.hidden",
  "index.gc_deletes",
  "index.max_terms_count",
  "index.priority",
  "index.translog.durability",
  "index.translog.sync_interval",
  "index.translog.flush_threshold_size",
  "index.mapping.depth.limit",
  "index.mapping.nested_fields.limit",
  "index.query.default_field",
  "index.search.idle.after",
  "index.merge.policy.max_merged_segment",
  "index.merge.scheduler.max_thread_count",
  "index.max_inner_result_window",
  "index.max_docvalue_fields_search",
]);
const STATIC = new Set(["index.number_of_shards", "index.codec", "index.number_of_routing_shards", "index.provided_name", "index.creation_date", "index.uuid", "index.version.created"]);

export function flattenSettings(json: unknown, prefix = ""): FlatSettings {
  const out: FlatSettings = {};
  if (json === undefined || json === null) return out;
  if (typeof json !== "object" || Array.isArray(json)) throw new SearchError(400, "settings_exception", `Failed to load settings from [${JSON.stringify(json)}]`);
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) Object.assign(out, flattenSettings(v, key));
    else out[key] = Array.isArray(v) ? v.map(String).join(",") : String(v);
  }
  return out;
}

/** Validates user-supplied settings and returns them keyed "index.*". */
export function normalizeSettings(json: unknown): FlatSettings {
  const flat = flattenSettings(json);
  const out: FlatSettings = {};
  for (const [k0, v] of Object.entries(flat)) {
    const k = k0.startsWith("index.") ? k0 : `index.${k0}`;
    if (k.startsWith("index.analysis.")) throw illegalArgument(`custom analysis settings [${k}] are not supported by ${LOCAL}; use the built-in analyzers (standard, simple, stop, whitespace, keyword)`);
    if (k.startsWith("index.sort.")) throw illegalArgument(`index sorting [${k}] is not supported by ${LOCAL}`);
    if (k.startsWith("index.blocks.")) throw illegalArgument(`index blocks [${k}] are not supported by ${LOCAL}`);
    if (k.startsWith("index.translog.") || k.startsWith("index.merge.") || k.startsWith("index.routing.") || k.startsWith("index.search.slowlog.") || k.startsWith("index.indexing.slowlog.")) {
      out[k] = v;
      continue;
    }
    if (!DYNAMIC.has(k) && !STATIC.has(k)) {
      throw illegalArgument(`unknown setting [${k}] please check that any required plugins are installed, or check the breaking changes documentation for removed settings`);
    }
    out[k] = v;
  }
  const checkInt = (k: string, min: number): void => {
    const v = out[k];
    if (v !== undefined && (!/^-?\d+$/.test(v) || Number(v) < min)) {
      throw illegalArgument(`Failed to parse value [${v}] for setting [${k}] must be >= ${min}`);
    }
  };
  checkInt("index.number_of_shards", 1);
  checkInt("index.number_of_replicas", 0);
  checkInt("index.max_result_window", 1);
  checkInt("index.mapping.total_fields.limit", 0);
  if (out["index.refresh_interval"] !== undefined) parseDuration(out["index.refresh_interval"], "index.refresh_interval");
  if (out["index.gc_deletes"] !== undefined) parseDuration(out["index.gc_deletes"], "index.gc_deletes");
  return out;
}

export function isDynamicSetting(key: string): boolean {
  return DYNAMIC.has(key) || key.startsWith("index.translog.") || key.startsWith("index.merge.") || key.startsWith("index.routing.") || key.includes(".slowlog.");
}

/** Parses "1s", "500ms", "2m", "-1" to milliseconds (-1 stays -1). */
export function parseDuration(v: string, setting: string): number {
  if (v === "-1") return -1;
  const m = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)$/.exec(v.trim());
  if (!m) throw illegalArgument(`failed to parse setting [${setting}] with value [${v}] as a time value: unit is missing or unrecognized`);
  const mult: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(m[1]) * mult[m[2]!]!;
}

export function nestSettings(flat: FlatSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(flat).sort()) {
    const parts = key.split(".");
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const p = parts[i]!;
      if (typeof node[p] !== "object" || node[p] === null) node[p] = {};
      node = node[p] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = flat[key];
  }
  return out;
}
