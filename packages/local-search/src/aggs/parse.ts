// Parses the "aggs"/"aggregations" object into a tree of named nodes.
import { LOCAL, parsingError, SearchError } from "../errors.ts";

export interface AggNode {
  name: string;
  type: string;
  body: Record<string, unknown>;
  subs: AggNode[];
  meta: unknown;
}

export const SUPPORTED_AGGS = new Set([
  "terms", "date_histogram", "histogram", "range", "filter", "filters", "missing",
  "min", "max", "sum", "avg", "value_count", "cardinality", "stats", "top_hits",
]);
const METRICS = new Set(["min", "max", "sum", "avg", "value_count", "cardinality", "stats", "top_hits"]);
const KNOWN_UNSUPPORTED = new Set([
  "percentiles", "percentile_ranks", "extended_stats", "median_absolute_deviation", "weighted_avg", "geo_bounds",
  "geo_centroid", "scripted_metric", "string_stats", "boxplot", "t_test", "rate", "matrix_stats",
  "composite", "date_range", "ip_range", "geohash_grid", "geotile_grid", "nested", "reverse_nested", "global",
  "significant_terms", "significant_text", "rare_terms", "multi_terms", "sampler", "diversified_sampler",
  "auto_date_histogram", "variable_width_histogram", "adjacency_matrix", "children", "parent",
  "avg_bucket", "sum_bucket", "min_bucket", "max_bucket", "stats_bucket", "extended_stats_bucket",
  "percentiles_bucket", "bucket_script", "bucket_selector", "bucket_sort", "cumulative_sum", "derivative",
  "moving_avg", "moving_fn", "serial_diff", "cumulative_cardinality",
]);

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseAggs(json: unknown): AggNode[] {
  if (!isObj(json)) throw parsingError("Aggregation definition must be an object");
  const out: AggNode[] = [];
  for (const [name, def] of Object.entries(json)) {
    if (/[[\]>]/.test(name)) throw parsingError(`Invalid aggregation name [${name}]. Aggregation names can contain any character except '[', ']', and '>'`);
    if (!isObj(def)) throw parsingError(`Expected [START_OBJECT] under [${name}], but got a [VALUE_STRING] in [${name}]`);
    let type: string | null = null;
    let subs: AggNode[] = [];
    let meta: unknown;
    for (const [k, v] of Object.entries(def)) {
      if (k === "aggs" || k === "aggregations") {
        if (subs.length > 0) throw parsingError(`Found two sub aggregation definitions under [${name}]`);
        subs = parseAggs(v);
        continue;
      }
      if (k === "meta") {
        meta = v;
        continue;
      }
      if (type !== null) throw parsingError(`Found two aggregation type definitions in [${name}]: [${type}] and [${k}]`);
      type = k;
    }
    if (type === null) throw parsingError(`Missing definition for aggregation [${name}]`);
    if (KNOWN_UNSUPPORTED.has(type)) throw parsingError(`aggregation [${type}] (in [${name}]) is not supported by ${LOCAL}`);
    if (!SUPPORTED_AGGS.has(type)) {
      throw new SearchError(400, "parsing_exception", `Unknown aggregation type [${type}]`, {
        causedBy: { type: "named_object_not_found_exception", reason: `[1:1] unknown field [${type}]` },
      });
    }
    if (METRICS.has(type) && subs.length > 0) {
      throw new SearchError(400, "aggregation_initialization_exception", `Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`);
    }
    const body = def[type];
    if (!isObj(body)) throw parsingError(`Expected [START_OBJECT] under [${type}], but got a [${Array.isArray(body) ? "START_ARRAY" : "VALUE"}] in [${name}]`);
    if (body.script !== undefined) throw parsingError(`[script] in aggregation [${name}] is not supported by ${LOCAL}`);
    out.push({ name, type, body, subs, meta });
  }
  return out;
}
