// Parses the query DSL into a small AST. Only structure is checked here
// (parsing_exception like OpenSearch); field-dependent checks happen when the
// query runs against an index.
import { LOCAL, parsingError, SearchError } from "../errors.ts";

export type Scalar = string | number | boolean;

export type Query =
  | { t: "match_all"; boost: number }
  | { t: "match_none" }
  | { t: "bool"; must: Query[]; filter: Query[]; should: Query[]; mustNot: Query[]; msm: string | number | null; boost: number }
  | { t: "term"; field: string; value: Scalar; boost: number; caseInsensitive: boolean }
  | { t: "terms"; field: string; values: Scalar[]; boost: number }
  | { t: "range"; field: string; gt?: Scalar; gte?: Scalar; lt?: Scalar; lte?: Scalar; format: string | null; timeZone: string | null; boost: number }
  | { t: "match"; field: string; query: Scalar; operator: "or" | "and"; msm: string | number | null; zeroTerms: "none" | "all"; analyzer: string | null; boost: number }
  | { t: "match_phrase"; field: string; query: string; analyzer: string | null; boost: number }
  | {
      t: "multi_match";
      fields: { field: string; boost: number }[] | null;
      query: Scalar;
      type: "best_fields" | "most_fields" | "phrase";
      operator: "or" | "and";
      msm: string | number | null;
      tieBreaker: number;
      analyzer: string | null;
      boost: number;
    }
  | { t: "exists"; field: string; boost: number }
  | { t: "ids"; values: string[]; boost: number }
  | { t: "prefix"; field: string; value: string; boost: number; caseInsensitive: boolean }
  | { t: "constant_score"; filter: Query; boost: number };

const KNOWN_UNSUPPORTED = new Set([
  "wildcard", "regexp", "fuzzy", "query_string", "simple_query_string", "nested", "has_child", "has_parent", "script",
  "script_score", "function_score", "dis_max", "boosting", "geo_distance", "geo_bounding_box", "geo_shape", "geo_polygon",
  "more_like_this", "span_term", "span_near", "span_or", "span_not", "span_first", "span_containing", "span_within",
  "span_multi", "field_masking_span", "match_bool_prefix", "match_phrase_prefix", "combined_fields", "intervals",
  "distance_feature", "rank_feature", "percolate", "wrapper", "pinned", "terms_set", "knn", "neural", "hybrid", "type",
  "parent_id", "template", "xy_shape", "geo_point", "match_only_text",
]);

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isScalar(v: unknown): v is Scalar {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function num(v: unknown, what: string): number {
  const n = typeof v === "string" ? Number(v) : v;
  if (typeof n !== "number" || Number.isNaN(n)) throw parsingError(`[${what}] must be a number, got [${JSON.stringify(v)}]`);
  return n;
}

function bool(v: unknown, what: string): boolean {
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  throw parsingError(`[${what}] must be a boolean, got [${JSON.stringify(v)}]`);
}

function checkKeys(kind: string, o: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) {
      if (k === "fuzziness" || k === "slop" || k === "rewrite" || k === "fuzzy_transpositions" || k === "cutoff_frequency" || k === "auto_generate_synonyms_phrase_query") {
        throw parsingError(`[${kind}] option [${k}] is not supported by ${LOCAL}`);
      }
      throw parsingError(`[${kind}] query does not support [${k}]`);
    }
  }
}

/** {field: value} or {field: {value|query: ..., options}} — the single-field query forms. */
function singleField(kind: string, body: unknown): [string, unknown] {
  if (!isObj(body)) throw parsingError(`[${kind}] query malformed, no start_object after query name`);
  const entries = Object.entries(body).filter(([k]) => k !== "boost" && k !== "_name");
  if (entries.length === 0) throw parsingError(`[${kind}] query doesn't support empty field name`);
  if (entries.length > 1) throw parsingError(`[${kind}] query doesn't support multiple fields, found [${entries[0]![0]}] and [${entries[1]![0]}]`);
  return entries[0]!;
}

function clauses(kind: string, v: unknown): Query[] {
  if (Array.isArray(v)) return v.map((q) => parseQuery(q));
  if (isObj(v)) return [parseQuery(v)];
  throw parsingError(`[${kind}] query malformed, expected an object or an array`);
}

function msmValue(v: unknown): string | number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "number" || typeof v === "string") return v;
  throw parsingError(`[minimum_should_match] must be a number or a string`);
}

export function parseQuery(json: unknown): Query {
  if (!isObj(json)) throw parsingError(`query malformed, must start with start_object`);
  const keys = Object.keys(json);
  if (keys.length === 0) throw parsingError("query malformed, empty clause found");
  if (keys.length > 1) throw parsingError(`[${keys[0]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const kind = keys[0]!;
  const body = json[kind];
  switch (kind) {
    case "match_all": {
      if (!isObj(body)) throw parsingError("[match_all] query malformed");
      checkKeys(kind, body, ["boost", "_name"]);
      return { t: "match_all", boost: body.boost === undefined ? 1 : num(body.boost, "boost") };
    }
    case "match_none":
      return { t: "match_none" };
    case "bool": {
      if (!isObj(body)) throw parsingError("[bool] query malformed, no start_object after query name");
      checkKeys(kind, body, ["must", "filter", "should", "must_not", "minimum_should_match", "boost", "_name", "adjust_pure_negative"]);
      return {
        t: "bool",
        must: body.must === undefined ? [] : clauses("must", body.must),
        filter: body.filter === undefined ? [] : clauses("filter", body.filter),
        should: body.should === undefined ? [] : clauses("should", body.should),
        mustNot: body.must_not === undefined ? [] : clauses("must_not", body.must_not),
        msm: msmValue(body.minimum_should_match),
        boost: body.boost === undefined ? 1 : num(body.boost, "boost"),
      };
    }
    case "term": {
      const [field, v] = singleField(kind, body);
      let value: unknown = v;
      let boost = 1;
      let ci = false;
      if (isObj(v)) {
        checkKeys(kind, v, ["value", "boost", "_name", "case_insensitive"]);
        value = v.value;
        if (v.boost !== undefined) boost = num(v.boost, "boost");
        if (v.case_insensitive !== undefined) ci = bool(v.case_insensitive, "case_insensitive");
      }
      if (!isScalar(value)) throw parsingError(`[term] query does not support array of values`);
      return { t: "term", field, value, boost, caseInsensitive: ci };
    }
    case "terms": {
      if (!isObj(body)) throw parsingError("[terms] query malformed");
      const boost = body.boost === undefined ? 1 : num(body.boost, "boost");
      const entries = Object.entries(body).filter(([k]) => k !== "boost" && k !== "_name");
      if (entries.length !== 1) throw parsingError(`[terms] query does not support multiple fields`);
      const [field, values] = entries[0]!;
      if (isObj(values)) throw parsingError(`[terms] query lookup (index/id/path) is not supported by ${LOCAL}`);
      if (!Array.isArray(values)) throw parsingError(`[terms] query does not support [${field}]`);
      if (!values.every(isScalar)) throw parsingError(`[terms] query values must be strings, numbers or booleans`);
      return { t: "terms", field, values: values as Scalar[], boost };
    }
    case "range": {
      const [field, v] = singleField(kind, body);
      if (!isObj(v)) throw parsingError(`[range] query malformed, no start_object after query name`);
      checkKeys(kind, v, ["gt", "gte", "lt", "lte", "from", "to", "include_lower", "include_upper", "format", "time_zone", "boost", "relation", "_name"]);
      if (v.relation !== undefined && String(v.relation).toUpperCase() !== "INTERSECTS") {
        throw parsingError(`[range] relation [${String(v.relation)}] is not supported by ${LOCAL}`);
      }
      const q: Query & { t: "range" } = {
        t: "range",
        field,
        format: v.format === undefined ? null : String(v.format),
        timeZone: v.time_zone === undefined ? null : String(v.time_zone),
        boost: v.boost === undefined ? 1 : num(v.boost, "boost"),
      };
      const bound = (x: unknown, name: string): Scalar | undefined => {
        if (x === undefined || x === null) return undefined;
        if (!isScalar(x)) throw parsingError(`[range] query [${name}] must be a value`);
        return x;
      };
      const il = v.include_lower === undefined ? true : bool(v.include_lower, "include_lower");
      const iu = v.include_upper === undefined ? true : bool(v.include_upper, "include_upper");
      if (v.from !== undefined && v.from !== null) q[il ? "gte" : "gt"] = bound(v.from, "from");
      if (v.to !== undefined && v.to !== null) q[iu ? "lte" : "lt"] = bound(v.to, "to");
      for (const k of ["gt", "gte", "lt", "lte"] as const) {
        const b = bound(v[k], k);
        if (b !== undefined) q[k] = b;
      }
      return q;
    }
    case "match": {
      const [field, v] = singleField(kind, body);
      if (isObj(v)) {
        checkKeys(kind, v, ["query", "operator", "minimum_should_match", "zero_terms_query", "analyzer", "boost", "_name", "lenient", "prefix_length", "max_expansions"]);
        if (!isScalar(v.query)) throw parsingError(`[match] query requires [query]`);
        return {
          t: "match",
          field,
          query: v.query,
          operator: parseOperator(v.operator),
          msm: msmValue(v.minimum_should_match),
          zeroTerms: v.zero_terms_query === "all" ? "all" : "none",
          analyzer: v.analyzer === undefined ? null : String(v.analyzer),
          boost: v.boost === undefined ? 1 : num(v.boost, "boost"),
        };
      }
      if (!isScalar(v)) throw parsingError(`[match] unknown token [START_ARRAY] after [${field}]`);
      return { t: "match", field, query: v, operator: "or", msm: null, zeroTerms: "none", analyzer: null, boost: 1 };
    }
    case "match_phrase": {
      const [field, v] = singleField(kind, body);
      if (isObj(v)) {
        checkKeys(kind, v, ["query", "analyzer", "boost", "_name", "slop", "zero_terms_query"]);
        if (v.slop !== undefined && Number(v.slop) !== 0) throw parsingError(`[match_phrase] slop other than 0 is not supported by ${LOCAL}`);
        if (!isScalar(v.query)) throw parsingError(`[match_phrase] query requires [query]`);
        return { t: "match_phrase", field, query: String(v.query), analyzer: v.analyzer === undefined ? null : String(v.analyzer), boost: v.boost === undefined ? 1 : num(v.boost, "boost") };
      }
      if (!isScalar(v)) throw parsingError(`[match_phrase] unknown token after [${field}]`);
      return { t: "match_phrase", field, query: String(v), analyzer: null, boost: 1 };
    }
    case "multi_match": {
      if (!isObj(body)) throw parsingError("[multi_match] query malformed");
      checkKeys(kind, body, ["query", "fields", "type", "operator", "minimum_should_match", "tie_breaker", "analyzer", "boost", "_name", "lenient", "zero_terms_query"]);
      if (!isScalar(body.query)) throw parsingError("No text specified for multi_match query");
      const type = body.type === undefined ? "best_fields" : String(body.type);
      if (type !== "best_fields" && type !== "most_fields" && type !== "phrase") {
        if (["cross_fields", "phrase_prefix", "bool_prefix"].includes(type)) throw parsingError(`[multi_match] type [${type}] is not supported by ${LOCAL}`);
        throw parsingError(`failed to parse [multi_match] query type [${type}]. unknown type.`);
      }
      let fields: { field: string; boost: number }[] | null = null;
      if (body.fields !== undefined) {
        const list = typeof body.fields === "string" ? [body.fields] : body.fields;
        if (!Array.isArray(list) || !list.every((f) => typeof f === "string")) throw parsingError("[multi_match] fields must be a string or an array of strings");
        fields = (list as string[]).map((f) => {
          const at = f.lastIndexOf("^");
          return at < 0 ? { field: f, boost: 1 } : { field: f.slice(0, at), boost: num(f.slice(at + 1), "boost") };
        });
      }
      return {
        t: "multi_match",
        fields,
        query: body.query,
        type,
        operator: parseOperator(body.operator),
        msm: msmValue(body.minimum_should_match),
        tieBreaker: body.tie_breaker === undefined ? 0 : num(body.tie_breaker, "tie_breaker"),
        analyzer: body.analyzer === undefined ? null : String(body.analyzer),
        boost: body.boost === undefined ? 1 : num(body.boost, "boost"),
      };
    }
    case "exists": {
      if (!isObj(body) || typeof body.field !== "string") throw parsingError("[exists] must be provided with a [field]");
      checkKeys(kind, body, ["field", "boost", "_name"]);
      return { t: "exists", field: body.field, boost: body.boost === undefined ? 1 : num(body.boost, "boost") };
    }
    case "ids": {
      if (!isObj(body)) throw parsingError("[ids] query malformed");
      checkKeys(kind, body, ["values", "boost", "_name", "type"]);
      if (!Array.isArray(body.values)) throw parsingError("[ids] query requires [values]");
      return { t: "ids", values: body.values.map(String), boost: body.boost === undefined ? 1 : num(body.boost, "boost") };
    }
    case "prefix": {
      const [field, v] = singleField(kind, body);
      let value: unknown = v;
      let boost = 1;
      let ci = false;
      if (isObj(v)) {
        checkKeys(kind, v, ["value", "boost", "_name", "case_insensitive", "rewrite"]);
        value = v.value;
        if (v.boost !== undefined) boost = num(v.boost, "boost");
        if (v.case_insensitive !== undefined) ci = bool(v.case_insensitive, "case_insensitive");
      }
      if (!isScalar(value)) throw parsingError("[prefix] query requires a value");
      return { t: "prefix", field, value: String(value), boost, caseInsensitive: ci };
    }
    case "constant_score": {
      if (!isObj(body) || body.filter === undefined) throw parsingError("[constant_score] requires a 'filter' element");
      checkKeys(kind, body, ["filter", "boost", "_name"]);
      return { t: "constant_score", filter: parseQuery(body.filter), boost: body.boost === undefined ? 1 : num(body.boost, "boost") };
    }
    default:
      if (KNOWN_UNSUPPORTED.has(kind)) throw parsingError(`query [${kind}] is not supported by ${LOCAL}`);
      throw new SearchError(400, "parsing_exception", `unknown query [${kind}]`, {
        causedBy: { type: "named_object_not_found_exception", reason: `[1:1] unknown field [${kind}]` },
      });
  }
}

function parseOperator(v: unknown): "or" | "and" {
  if (v === undefined || v === null) return "or";
  const s = String(v).toLowerCase();
  if (s === "or" || s === "and") return s;
  throw parsingError(`Unknown operator [${String(v)}]`);
}

/** Resolves minimum_should_match ("2", "75%", "-1", "-25%") against the number of optional clauses. */
export function resolveMsm(spec: string | number | null, optional: number): number {
  if (spec === null) return 0;
  const s = String(spec).trim();
  let n: number;
  if (s.endsWith("%")) {
    const p = Number(s.slice(0, -1));
    if (Number.isNaN(p)) throw parsingError(`Invalid minimum_should_match [${s}]`);
    n = p < 0 ? optional - Math.floor((optional * -p) / 100) : Math.floor((optional * p) / 100);
  } else {
    if (s.includes("<")) throw parsingError(`conditional minimum_should_match [${s}] is not supported by ${LOCAL}`);
    const v = Number(s);
    if (!Number.isInteger(v)) throw parsingError(`Invalid minimum_should_match [${s}]`);
    n = v < 0 ? optional + v : v;
  }
  return Math.max(0, Math.min(n, optional));
}
