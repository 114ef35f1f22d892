// A field's definition (type and parameters) checked against what OpenSearch
// accepts for that type and turned into a FieldMapper; unsupported types and
// parameters are refused by name rather than ignored.
import { LOCAL, mapperParsing } from "../errors.ts";
import { isKnownAnalyzer } from "../text/analyzer.ts";
import { bindDateFormat } from "./dateFormats.ts";
import { asBool, isObject } from "./paramValues.ts";
import type { FieldKind, FieldMapper, FieldType } from "./types.ts";

const KNOWN_UNSUPPORTED_TYPES = new Set([
  "nested", "ip", "geo_point", "geo_shape", "flat_object", "binary", "date_nanos", "unsigned_long", "completion",
  "search_as_you_type", "match_only_text", "token_count", "alias", "join", "percolator", "rank_feature", "rank_features",
  "knn_vector", "integer_range", "long_range", "float_range", "double_range", "date_range", "ip_range", "wildcard",
  "constant_keyword", "version", "semantic", "derived", "star_tree",
]);

const UNSUPPORTED_PARAMS = new Set(["copy_to", "normalizer", "fielddata_frequency_filter", "script", "on_script_error", "time_series_dimension", "time_series_metric"]);
const COMMON_PARAMS = ["type", "index", "doc_values", "store", "null_value", "meta", "fields", "boost"];
const PARAMS: Record<FieldType, string[]> = {
  text: ["analyzer", "search_analyzer", "search_quote_analyzer", "norms", "fielddata", "position_increment_gap", "index_options", "term_vector", "similarity", "eager_global_ordinals", "index_phrases", "index_prefixes"],
  keyword: ["ignore_above", "norms", "eager_global_ordinals", "index_options", "split_queries_on_whitespace", "similarity"],
  long: ["coerce", "ignore_malformed"],
  integer: ["coerce", "ignore_malformed"],
  short: ["coerce", "ignore_malformed"],
  byte: ["coerce", "ignore_malformed"],
  double: ["coerce", "ignore_malformed"],
  float: ["coerce", "ignore_malformed"],
  half_float: ["coerce", "ignore_malformed"],
  scaled_float: ["coerce", "ignore_malformed", "scaling_factor"],
  date: ["format", "locale", "ignore_malformed", "print_format"],
  boolean: [],
};

export function buildFieldMapper(name: string, path: string, def: Record<string, unknown>, parent: FieldMapper | null = null): FieldMapper {
  const rawType = def.type;
  if (typeof rawType !== "string") throw mapperParsing(`No type specified for field [${name}]`);
  if (KNOWN_UNSUPPORTED_TYPES.has(rawType)) {
    throw mapperParsing(`No handler for type [${rawType}] declared on field [${name}]: field type [${rawType}] is not supported by ${LOCAL}`);
  }
  if (!(rawType in PARAMS)) throw mapperParsing(`No handler for type [${rawType}] declared on field [${name}]`);
  const type = rawType as FieldType;
  const allowed = new Set([...COMMON_PARAMS, ...PARAMS[type]]);
  for (const key of Object.keys(def)) {
    if (UNSUPPORTED_PARAMS.has(key)) throw mapperParsing(`mapping parameter [${key}] on field [${name}] is not supported by ${LOCAL}`);
    if (!allowed.has(key)) throw mapperParsing(`unknown parameter [${key}] on mapper [${name}] of type [${type}]`);
  }
  if (def.similarity !== undefined && def.similarity !== "BM25") throw mapperParsing(`similarity [${String(def.similarity)}] on field [${name}] is not supported by ${LOCAL}`);
  if (type === "text" && asBool(def.fielddata, false, "fielddata")) throw mapperParsing(`[fielddata] on text field [${name}] is not supported by ${LOCAL}; aggregate or sort on a keyword sub-field`);
  for (const key of ["analyzer", "search_analyzer", "search_quote_analyzer"]) {
    const a = def[key];
    if (a !== undefined && (typeof a !== "string" || !isKnownAnalyzer(a))) {
      throw mapperParsing(`analyzer [${String(a)}] has not been configured in mappings (${LOCAL} knows standard, simple, stop, whitespace, keyword)`);
    }
  }
  const dateFormat = type === "date" ? bindDateFormat(name, def.format) : null;
  let scalingFactor = 0;
  if (type === "scaled_float") {
    if (typeof def.scaling_factor !== "number" || !(def.scaling_factor > 0)) throw mapperParsing(`Field [scaling_factor] is required`);
    scalingFactor = def.scaling_factor;
  }
  const ignoreAbove = def.ignore_above === undefined ? Infinity : Number(def.ignore_above);
  if (Number.isNaN(ignoreAbove) || ignoreAbove < 0) throw mapperParsing(`[ignore_above] must be positive, got [${String(def.ignore_above)}]`);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) if (k !== "fields") params[k] = v;
  const storage: FieldKind = type === "text" ? "text" : type === "keyword" ? "keyword" : "numeric";
  const analyzer = typeof def.analyzer === "string" ? def.analyzer : "standard";
  const mapper: FieldMapper = {
    kind: "field",
    name,
    path,
    type,
    storage,
    params,
    indexed: asBool(def.index, true, "index"),
    docValues: asBool(def.doc_values, type !== "text", "doc_values"),
    dateFormat,
    ignoreAbove,
    analyzer,
    searchAnalyzer: typeof def.search_analyzer === "string" ? def.search_analyzer : analyzer,
    nullValue: def.null_value ?? null,
    coerce: asBool(def.coerce, true, "coerce"),
    ignoreMalformed: asBool(def.ignore_malformed, false, "ignore_malformed"),
    scalingFactor,
    positionIncrementGap: typeof def.position_increment_gap === "number" ? def.position_increment_gap : 100,
    fields: new Map(),
    parent,
  };
  if (def.fields !== undefined) {
    if (parent) throw mapperParsing(`Field [${name}] cannot be a multi-field of a multi-field`);
    if (!isObject(def.fields)) throw mapperParsing(`Expected map for property [fields] on field [${name}]`);
    for (const [sub, subDef] of Object.entries(def.fields)) {
      if (!isObject(subDef)) throw mapperParsing(`Expected map for property [fields] on field [${name}]`);
      mapper.fields.set(sub, buildFieldMapper(sub, `${path}.${sub}`, subDef, mapper));
    }
  }
  return mapper;
}
