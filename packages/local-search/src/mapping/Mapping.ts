// Index mappings: explicit field definitions, multi-fields, objects, dynamic
// mapping (with OpenSearch's detection rules and dynamic_templates), merging
// for put-mapping and templates, and the JSON rendering of GET _mapping.
import { compileDateFormat, type DateFormat, DEFAULT_DATE_FORMAT } from "../time/dateFormat.ts";
import { illegalArgument, LOCAL, mapperParsing, SearchError } from "../errors.ts";
import { isKnownAnalyzer } from "../text/analyzer.ts";
import { globMatch } from "../text/glob.ts";

export const NUMERIC_TYPES = ["long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float"] as const;
export type NumericType = (typeof NUMERIC_TYPES)[number];
export type FieldType = NumericType | "text" | "keyword" | "date" | "boolean";

/** How a field's values are stored in columns. */
export type FieldKind = "numeric" | "keyword" | "text";

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

export interface FieldMapper {
  readonly kind: "field";
  readonly name: string;
  readonly path: string;
  readonly type: FieldType;
  readonly storage: FieldKind;
  /** The definition as given (without "fields"), rendered back by GET _mapping. */
  readonly params: Record<string, unknown>;
  readonly indexed: boolean;
  readonly docValues: boolean;
  readonly dateFormat: DateFormat | null;
  readonly ignoreAbove: number;
  readonly analyzer: string;
  readonly searchAnalyzer: string;
  readonly nullValue: unknown;
  readonly coerce: boolean;
  readonly ignoreMalformed: boolean;
  readonly scalingFactor: number;
  readonly positionIncrementGap: number;
  readonly fields: Map<string, FieldMapper>;
  /** Set for multi-fields: the field whose value they index. */
  readonly parent: FieldMapper | null;
}

export interface ObjectMapper {
  readonly kind: "object";
  readonly name: string;
  readonly path: string;
  dynamic: "true" | "false" | "strict" | null;
  enabled: boolean;
  readonly params: Record<string, unknown>;
  readonly properties: Map<string, Mapper>;
}

export type Mapper = FieldMapper | ObjectMapper;

interface DynamicTemplate {
  name: string;
  matchMappingType: string | null;
  match: string | null;
  unmatch: string | null;
  pathMatch: string | null;
  pathUnmatch: string | null;
  regex: boolean;
  mapping: Record<string, unknown>;
}

const ROOT_PARAMS = new Set(["properties", "dynamic", "date_detection", "numeric_detection", "dynamic_date_formats", "dynamic_templates", "_meta", "_source", "_routing", "enabled"]);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function asBool(v: unknown, def: boolean, what: string): boolean {
  if (v === undefined) return def;
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  throw mapperParsing(`Failed to parse value [${String(v)}] as only [true] or [false] are allowed for [${what}]`);
}

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
  let dateFormat: DateFormat | null = null;
  if (type === "date") {
    const f = def.format ?? DEFAULT_DATE_FORMAT;
    if (typeof f !== "string") throw mapperParsing(`Invalid format: [${String(f)}] for field [${name}]`);
    try {
      dateFormat = compileDateFormat(f);
    } catch (err) {
      throw mapperParsing(`Error parsing [format] on field [${name}]: ${(err as Error).message}`);
    }
  }
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

function buildObjectMapper(name: string, path: string, def: Record<string, unknown>): ObjectMapper {
  const allowed = new Set(["type", "properties", "dynamic", "enabled"]);
  for (const key of Object.keys(def)) if (!allowed.has(key)) throw mapperParsing(`unknown parameter [${key}] on mapper [${name}] of type [object]`);
  const params: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(def)) if (k !== "properties") params[k] = v;
  const obj: ObjectMapper = {
    kind: "object",
    name,
    path,
    dynamic: parseDynamic(def.dynamic),
    enabled: asBool(def.enabled, true, "enabled"),
    params,
    properties: new Map(),
  };
  if (def.properties !== undefined) addProperties(obj, def.properties);
  return obj;
}

function parseDynamic(v: unknown): ObjectMapper["dynamic"] {
  if (v === undefined || v === null) return null;
  const s = String(v);
  if (s === "true" || s === "false" || s === "strict") return s;
  throw mapperParsing(`Could not convert [dynamic] to boolean; value [${s}] is not supported by ${LOCAL}`);
}

function addProperties(obj: ObjectMapper, props: unknown): void {
  if (!isObject(props)) throw mapperParsing(`Expected map for property [properties] on field [${obj.name || "_doc"}]`);
  for (const [name, def] of Object.entries(props)) {
    if (!isObject(def)) throw mapperParsing(`Expected map for property [fields] on field [${name}] but got a class java.lang.String`);
    if (name === "") throw mapperParsing("name cannot be empty string");
    const path = obj.path ? `${obj.path}.${name}` : name;
    if (name.includes(".")) {
      // "a.b": {...} is shorthand for a: {properties: {b: {...}}}
      const [head, ...rest] = name.split(".");
      addProperties(obj, { [head!]: { properties: { [rest.join(".")]: def } } });
      continue;
    }
    const isObj = def.type === undefined || def.type === "object";
    const built = isObj ? buildObjectMapper(name, path, def) : buildFieldMapper(name, path, def);
    const existing = obj.properties.get(name);
    obj.properties.set(name, existing ? mergeMapper(existing, built) : built);
  }
}

function conflict(path: string, detail: string): SearchError {
  return illegalArgument(`Mapper for [${path}] conflicts with existing mapper:\n\t${detail}`);
}

const UPDATABLE = new Set(["ignore_above", "meta", "boost", "search_analyzer", "search_quote_analyzer", "ignore_malformed", "coerce", "eager_global_ordinals"]);

function mergeMapper(a: Mapper, b: Mapper): Mapper {
  if (a.kind === "object" && b.kind === "object") {
    if (b.dynamic !== null) a.dynamic = b.dynamic;
    if (b.params.enabled !== undefined && asBool(b.params.enabled, true, "enabled") !== a.enabled) {
      throw conflict(a.path, `Cannot update parameter [enabled] from [${a.enabled}] to [${!a.enabled}]`);
    }
    for (const [k, v] of Object.entries(b.params)) a.params[k] = v;
    for (const [name, child] of b.properties) {
      const existing = a.properties.get(name);
      a.properties.set(name, existing ? mergeMapper(existing, child) : child);
    }
    return a;
  }
  if (a.kind !== b.kind) {
    throw illegalArgument(`can't merge a non object mapping [${a.path}] with an object mapping`);
  }
  const fa = a as FieldMapper;
  const fb = b as FieldMapper;
  if (fa.type !== fb.type) throw illegalArgument(`mapper [${fa.path}] cannot be changed from type [${fa.type}] to [${fb.type}]`);
  const keys = new Set([...Object.keys(fa.params), ...Object.keys(fb.params)]);
  for (const k of keys) {
    if (UPDATABLE.has(k) || k === "type") continue;
    if (JSON.stringify(fa.params[k]) !== JSON.stringify(fb.params[k])) {
      throw conflict(fa.path, `Cannot update parameter [${k}] from [${String(fa.params[k] ?? "")}] to [${String(fb.params[k] ?? "")}]`);
    }
  }
  const mergedDef: Record<string, unknown> = { ...fa.params, ...fb.params };
  const fields: Record<string, unknown> = {};
  for (const [n, f] of fa.fields) fields[n] = f.params;
  for (const [n, f] of fb.fields) {
    const old = fa.fields.get(n);
    if (old) mergeMapper(old, f);
    fields[n] = { ...(old?.params ?? {}), ...f.params };
  }
  if (Object.keys(fields).length > 0) mergedDef.fields = fields;
  return buildFieldMapper(fa.name, fa.path, mergedDef, fa.parent);
}

export interface ParsedDocument {
  /** fields[i] received values[i]: numbers for numeric/date/boolean fields (booleans 1/0), strings for keyword and text */
  fields: FieldMapper[];
  values: (number | string)[];
  /** New mappers introduced by dynamic mapping; apply with Mapping.commit(). */
  pending: PendingMapper[];
}

export interface PendingMapper {
  parent: ObjectMapper;
  name: string;
  mapper: Mapper;
}

const DEFAULT_DYNAMIC_DATE_FORMATS = ["strict_date_optional_time", "yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z"];

export class Mapping {
  readonly root: ObjectMapper;
  dateDetection = true;
  numericDetection = false;
  dynamicDateFormats: string[] = DEFAULT_DYNAMIC_DATE_FORMATS;
  private dynamicDateParsers: DateFormat[] = DEFAULT_DYNAMIC_DATE_FORMATS.map((f) => compileDateFormat(f));
  dynamicTemplates: DynamicTemplate[] = [];
  private rawDynamicTemplates: unknown[] = [];
  meta: Record<string, unknown> | null = null;
  totalFieldsLimit = 1000;
  private byPath = new Map<string, FieldMapper>();
  private objectPaths = new Map<string, ObjectMapper>();
  /** Bumped on every change so that caches keyed on the mapping can notice. */
  version = 0;

  constructor(json?: unknown) {
    this.root = { kind: "object", name: "", path: "", dynamic: "true", enabled: true, params: {}, properties: new Map() };
    if (json !== undefined) this.merge(json);
    else this.reindex();
  }

  /** Adds/merges a mapping definition (create index, put mapping, templates). */
  merge(json: unknown): void {
    if (!isObject(json)) throw mapperParsing("Failed to parse mapping: mapping must be an object");
    let body = json;
    if (Object.keys(body).length === 1 && isObject(body._doc)) body = body._doc;
    for (const key of Object.keys(body)) {
      if (!ROOT_PARAMS.has(key)) {
        throw mapperParsing(`Root mapping definition has unsupported parameters:  [${key} : ${JSON.stringify(body[key])}]`);
      }
    }
    if (body._source !== undefined) {
      const s = body._source;
      if (!isObject(s) || Object.keys(s).some((k) => k !== "enabled" || s[k] !== true)) {
        throw mapperParsing(`[_source] options other than enabled=true are not supported by ${LOCAL}`);
      }
    }
    if (body._routing !== undefined) throw mapperParsing(`[_routing] is not supported by ${LOCAL}`);
    if (body.enabled !== undefined && !asBool(body.enabled, true, "enabled")) throw mapperParsing(`disabling the root object is not supported by ${LOCAL}`);
    if (body.dynamic !== undefined) this.root.dynamic = parseDynamic(body.dynamic) ?? "true";
    if (body.date_detection !== undefined) this.dateDetection = asBool(body.date_detection, true, "date_detection");
    if (body.numeric_detection !== undefined) this.numericDetection = asBool(body.numeric_detection, false, "numeric_detection");
    if (body.dynamic_date_formats !== undefined) {
      const f = body.dynamic_date_formats;
      const list = Array.isArray(f) ? f.map(String) : [String(f)];
      this.dynamicDateParsers = list.map((x) => compileDateFormat(x));
      this.dynamicDateFormats = list;
    }
    if (body.dynamic_templates !== undefined) {
      if (!Array.isArray(body.dynamic_templates)) throw mapperParsing("Dynamic template syntax error. An array of named objects is expected.");
      const parsed = body.dynamic_templates.map(parseDynamicTemplate);
      // Templates with the same name replace earlier ones, new ones are appended.
      const byName = new Map(this.dynamicTemplates.map((t, i) => [t.name, i] as const));
      for (let i = 0; i < parsed.length; i++) {
        const t = parsed[i]!;
        const at = byName.get(t.name);
        if (at !== undefined) {
          this.dynamicTemplates[at] = t;
          this.rawDynamicTemplates[at] = body.dynamic_templates[i];
        } else {
          this.dynamicTemplates.push(t);
          this.rawDynamicTemplates.push(body.dynamic_templates[i]);
        }
      }
    }
    if (body._meta !== undefined) {
      if (!isObject(body._meta)) throw mapperParsing("[_meta] must be an object");
      this.meta = body._meta;
    }
    if (body.properties !== undefined) addProperties(this.root, body.properties);
    this.reindex();
    if (this.byPath.size > this.totalFieldsLimit) throw illegalArgument(`Limit of total fields [${this.totalFieldsLimit}] has been exceeded`);
  }

  private reindex(): void {
    this.byPath.clear();
    this.objectPaths.clear();
    const walk = (obj: ObjectMapper): void => {
      for (const m of obj.properties.values()) {
        if (m.kind === "object") {
          this.objectPaths.set(m.path, m);
          walk(m);
        } else {
          this.byPath.set(m.path, m);
          for (const sub of m.fields.values()) this.byPath.set(sub.path, sub);
        }
      }
    };
    walk(this.root);
    this.version++;
  }

  field(path: string): FieldMapper | undefined {
    return this.byPath.get(path);
  }

  isObjectPath(path: string): boolean {
    return this.objectPaths.has(path);
  }

  fieldPaths(): string[] {
    return [...this.byPath.keys()];
  }

  fieldsUnder(prefix: string): FieldMapper[] {
    const out: FieldMapper[] = [];
    for (const [p, f] of this.byPath) if (p.startsWith(prefix + ".")) out.push(f);
    return out;
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.root.dynamic !== "true") out.dynamic = this.root.dynamic;
    if (!this.dateDetection) out.date_detection = false;
    if (this.numericDetection) out.numeric_detection = true;
    if (this.dynamicDateFormats !== DEFAULT_DYNAMIC_DATE_FORMATS) out.dynamic_date_formats = this.dynamicDateFormats;
    if (this.rawDynamicTemplates.length > 0) out.dynamic_templates = this.rawDynamicTemplates;
    if (this.meta) out._meta = this.meta;
    if (this.root.properties.size > 0) out.properties = renderProperties(this.root);
    return out;
  }

  /**
   * Flattens a document into field values, applying dynamic mapping for new
   * fields. Throws mapper_parsing_exception (or strict_dynamic_mapping_exception)
   * without changing the mapping; call commit() with the result afterwards.
   */
  parseDocument(source: Record<string, unknown>, id: string): ParsedDocument {
    const parser = new DocumentParser(this, id);
    for (const k in source) {
      if (k.charCodeAt(0) === 95 /* _ */ && META_FIELDS.has(k)) {
        throw mapperParsing(`Field [${k}] is a metadata field and cannot be added inside a document. Use the index API request parameters.`);
      }
      parser.walk(this.root, null, k, source[k]);
    }
    return { fields: parser.fields, values: parser.values, pending: parser.pending };
  }

  /** @internal used by DocumentParser */
  newDynamicMapper(name: string, path: string, value: unknown): Mapper | undefined {
    return this.dynamicMapper(name, path, value);
  }

  /** @internal */
  get fieldCount(): number {
    return this.byPath.size;
  }

  commit(pending: PendingMapper[]): void {
    if (pending.length === 0) return;
    for (const p of pending) {
      const existing = p.parent.properties.get(p.name);
      p.parent.properties.set(p.name, existing ? mergeMapper(existing, p.mapper) : p.mapper);
    }
    this.reindex();
  }

  private dynamicMapper(name: string, path: string, value: unknown): Mapper | undefined {
    let matchType: string;
    let def: Record<string, unknown>;
    if (isObject(value)) {
      matchType = "object";
      def = { type: "object" };
    } else if (typeof value === "boolean") {
      matchType = "boolean";
      def = { type: "boolean" };
    } else if (typeof value === "number") {
      matchType = Number.isInteger(value) ? "long" : "double";
      def = { type: Number.isInteger(value) ? "long" : "float" };
    } else if (typeof value === "string") {
      matchType = "string";
      def = { type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } };
      if (this.dateDetection) {
        for (let i = 0; i < this.dynamicDateParsers.length; i++) {
          if (this.dynamicDateParsers[i]!.tryParse(value) !== null) {
            matchType = "date";
            def = { type: "date" };
            const spec = this.dynamicDateFormats[i]!;
            if (spec !== "strict_date_optional_time") def.format = spec.includes("epoch_millis") ? spec : `${spec}||epoch_millis`;
            break;
          }
        }
      }
      if (matchType === "string" && this.numericDetection) {
        const n = Number(value);
        if (value.trim() !== "" && Number.isFinite(n)) {
          matchType = Number.isInteger(n) && !/[.eE]/.test(value) ? "long" : "double";
          def = { type: matchType === "long" ? "long" : "float" };
        }
      }
    } else {
      return undefined;
    }
    for (const t of this.dynamicTemplates) {
      if (!dynamicTemplateMatches(t, name, path, matchType)) continue;
      const mapping = substitute(t.mapping, name, matchType === "string" ? "string" : matchType === "double" ? "double" : matchType) as Record<string, unknown>;
      if (matchType === "object" || mapping.type === "object" || (mapping.type === undefined && mapping.properties !== undefined)) {
        return buildObjectMapper(name, path, { ...mapping, type: undefined } as Record<string, unknown>);
      }
      if (mapping.type === undefined) mapping.type = def.type;
      return buildFieldMapper(name, path, mapping);
    }
    if (matchType === "object") return buildObjectMapper(name, path, {});
    return buildFieldMapper(name, path, def);
  }
}

const META_FIELDS = new Set(["_id", "_index", "_source", "_version", "_seq_no", "_primary_term", "_routing", "_field_names", "_ignored", "_type", "_uid", "_parent", "_all", "_size"]);

function parseDynamicTemplate(entry: unknown): DynamicTemplate {
  if (!isObject(entry) || Object.keys(entry).length !== 1) throw mapperParsing("Dynamic template syntax error. An array of named objects is expected.");
  const [name, body] = Object.entries(entry)[0]!;
  if (!isObject(body) || !isObject(body.mapping)) throw mapperParsing(`Dynamic template [${name}] has no [mapping]`);
  const allowed = new Set(["match_mapping_type", "match", "unmatch", "path_match", "path_unmatch", "match_pattern", "mapping"]);
  for (const k of Object.keys(body)) if (!allowed.has(k)) throw mapperParsing(`Illegal dynamic template parameter: [${k}]`);
  const str = (v: unknown): string | null => (v === undefined ? null : String(v));
  const mmt = str(body.match_mapping_type);
  if (mmt !== null && !["*", "string", "long", "double", "boolean", "date", "object"].includes(mmt)) {
    throw mapperParsing(`No field type matched on [${mmt}], possible values are [object, string, long, double, boolean, date, binary]`);
  }
  return {
    name,
    matchMappingType: mmt,
    match: str(body.match),
    unmatch: str(body.unmatch),
    pathMatch: str(body.path_match),
    pathUnmatch: str(body.path_unmatch),
    regex: body.match_pattern === "regex",
    mapping: body.mapping,
  };
}

function dynamicTemplateMatches(t: DynamicTemplate, name: string, path: string, type: string): boolean {
  const m = (pattern: string, text: string): boolean => (t.regex ? new RegExp(`^(?:${pattern})$`).test(text) : globMatch(pattern, text));
  if (t.matchMappingType !== null && t.matchMappingType !== "*" && t.matchMappingType !== type) return false;
  if (t.match !== null && !m(t.match, name)) return false;
  if (t.unmatch !== null && m(t.unmatch, name)) return false;
  if (t.pathMatch !== null && !m(t.pathMatch, path)) return false;
  if (t.pathUnmatch !== null && m(t.pathUnmatch, path)) return false;
  return true;
}

function substitute(v: unknown, name: string, dynType: string): unknown {
  if (typeof v === "string") return v.replaceAll("{name}", name).replaceAll("{dynamic_type}", dynType);
  if (Array.isArray(v)) return v.map((x) => substitute(x, name, dynType));
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = substitute(x, name, dynType);
    return out;
  }
  return v;
}

function renderProperties(obj: ObjectMapper): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = [...obj.properties.keys()].sort();
  for (const n of names) {
    const m = obj.properties.get(n)!;
    if (m.kind === "object") {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m.params)) if (k !== "type" || v !== "object") o[k] = v;
      if (m.properties.size > 0) o.properties = renderProperties(m);
      if (m.params.type === "object" && m.properties.size === 0) o.type = "object";
      out[n] = o;
    } else {
      const f: Record<string, unknown> = { ...m.params };
      if (m.fields.size > 0) {
        const fields: Record<string, unknown> = {};
        for (const sn of [...m.fields.keys()].sort()) fields[sn] = m.fields.get(sn)!.params;
        f.fields = fields;
      }
      out[n] = f;
    }
  }
  return out;
}

function preview(v: unknown): string {
  if (isObject(v)) return "{" + Object.entries(v).map(([k, x]) => `${k}=${preview(x)}`).join(", ") + "}";
  return String(v);
}

const INT_RANGES: Record<string, [number, number]> = {
  long: [-9223372036854775808, 9223372036854775807],
  integer: [-2147483648, 2147483647],
  short: [-32768, 32767],
  byte: [-128, 127],
};

function toHalfFloat(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const sign = v < 0 ? -1 : 1;
  const a = Math.abs(v);
  if (a >= 65520) return sign * Infinity;
  if (a < 6.103515625e-5) return sign * Math.round(a / 5.960464477539063e-8) * 5.960464477539063e-8;
  const e = Math.floor(Math.log2(a));
  const step = 2 ** (e - 10);
  return sign * Math.round(a / step) * step;
}

function fieldError(field: FieldMapper, raw: unknown, id: string, cause: { type: string; reason: string }): SearchError {
  return mapperParsing(
    `failed to parse field [${field.path}] of type [${field.type}] in document with id '${id}'. Preview of field's value: '${preview(raw)}'`,
    cause,
  );
}

/** Coerces one JSON value to the field's stored representation; undefined means "not indexed". */
export function convertValue(field: FieldMapper, raw: unknown, id: string): number | string | undefined {
  try {
    return convertOrThrow(field, raw, id);
  } catch (err) {
    if (field.ignoreMalformed && err instanceof SearchError) return undefined;
    throw err;
  }
}

function convertOrThrow(field: FieldMapper, raw: unknown, id: string): number | string | undefined {
  if (Array.isArray(raw) || isObject(raw)) {
    throw fieldError(field, raw, id, { type: "illegal_state_exception", reason: `Can't get text on a START_OBJECT` });
  }
  switch (field.storage) {
    case "keyword": {
      const s = String(raw);
      return s.length > field.ignoreAbove ? undefined : s;
    }
    case "text":
      return String(raw);
    case "numeric":
      break;
  }
  if (field.type === "boolean") {
    if (raw === true || raw === "true") return 1;
    if (raw === false || raw === "false" || raw === "") return 0;
    throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `Failed to parse value [${String(raw)}] as only [true] or [false] are allowed.` });
  }
  if (field.type === "date") {
    if (typeof raw !== "string" && typeof raw !== "number") {
      throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `failed to parse date field [${String(raw)}]` });
    }
    const ms = field.dateFormat!.tryParse(raw);
    if (ms === null) {
      throw fieldError(field, raw, id, {
        type: "illegal_argument_exception",
        reason: `failed to parse date field [${String(raw)}] with format [${field.dateFormat!.spec}]`,
      });
    }
    return ms;
  }
  let n: number;
  if (typeof raw === "number") n = raw;
  else if (typeof raw === "string" && field.coerce && raw.trim() !== "" && !Number.isNaN(Number(raw))) n = Number(raw);
  else if (typeof raw === "boolean" || typeof raw === "string") {
    throw fieldError(field, raw, id, { type: "number_format_exception", reason: `For input string: "${String(raw)}"` });
  } else {
    return undefined;
  }
  const range = INT_RANGES[field.type];
  if (range) {
    if (!Number.isInteger(n)) {
      if (!field.coerce) throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `Value [${String(raw)}] has a decimal part` });
      n = Math.trunc(n);
    }
    if (n < range[0] || n > range[1]) {
      throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `Value [${String(raw)}] is out of range for ${field.type === "long" ? "a long" : "an " + field.type}` });
    }
    return n;
  }
  if (!Number.isFinite(n)) {
    throw fieldError(field, raw, id, { type: "illegal_argument_exception", reason: `[${field.type}] supports only finite values, but got [${String(raw)}]` });
  }
  switch (field.type) {
    case "float":
      return Math.fround(n);
    case "half_float":
      return toHalfFloat(n);
    case "scaled_float":
      return Math.round(n * field.scalingFactor) / field.scalingFactor;
    default:
      return n;
  }
}

/** Flattens one document into field values; a class (not closures) because it runs for every document written. */
class DocumentParser {
  readonly fields: FieldMapper[] = [];
  readonly values: (number | string)[] = [];
  readonly pending: PendingMapper[] = [];
  private pendingByKey: Map<string, Mapper> | null = null;
  private readonly mapping: Mapping;
  private readonly id: string;

  constructor(mapping: Mapping, id: string) {
    this.mapping = mapping;
    this.id = id;
  }

  private childOf(obj: ObjectMapper, name: string): Mapper | undefined {
    const m = obj.properties.get(name);
    if (m !== undefined || this.pendingByKey === null) return m;
    return this.pendingByKey.get(obj.path + "\u0000" + name);
  }

  private dynamicMode(obj: ObjectMapper, chain: ObjectChain | null): "true" | "false" | "strict" {
    if (obj.dynamic !== null) return obj.dynamic;
    for (let c = chain; c !== null; c = c.parent) if (c.obj.dynamic !== null) return c.obj.dynamic;
    return this.mapping.root.dynamic ?? "true";
  }

  private addValue(field: FieldMapper, raw: unknown): void {
    if (raw === null) {
      if (field.nullValue === null) return;
      raw = field.nullValue;
    }
    const converted = convertValue(field, raw, this.id);
    if (converted === undefined) return;
    if (field.indexed || field.docValues) {
      this.fields.push(field);
      this.values.push(converted);
    }
    if (field.fields.size === 0) return;
    for (const sub of field.fields.values()) {
      const sv = convertValue(sub, raw, this.id);
      if (sv === undefined) continue;
      this.fields.push(sub);
      this.values.push(sv);
    }
  }

  walk(obj: ObjectMapper, chain: ObjectChain | null, name: string, value: unknown): void {
    if (name === "") throw mapperParsing(`field name cannot be an empty string`);
    if (name.includes(".")) {
      // {"a.b": 1} is indexed as {"a": {"b": 1}}
      const dot = name.indexOf(".");
      this.walk(obj, chain, name.slice(0, dot), { [name.slice(dot + 1)]: value });
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) this.walk(obj, chain, name, value[i]);
      return;
    }
    let mapper = this.childOf(obj, name);
    if (mapper === undefined) {
      if (value === null) return;
      const mode = this.dynamicMode(obj, chain);
      if (mode === "false") return;
      if (mode === "strict") {
        throw new SearchError(400, "strict_dynamic_mapping_exception", `mapping set to strict, dynamic introduction of [${name}] within [${obj.path || "_doc"}] is not allowed`);
      }
      const path = obj.path ? `${obj.path}.${name}` : name;
      mapper = this.mapping.newDynamicMapper(name, path, value);
      if (mapper === undefined) return;
      this.pending.push({ parent: obj, name, mapper });
      (this.pendingByKey ??= new Map()).set(obj.path + "\u0000" + name, mapper);
      if (this.mapping.fieldCount + this.pending.length > this.mapping.totalFieldsLimit) {
        throw illegalArgument(`Limit of total fields [${this.mapping.totalFieldsLimit}] has been exceeded while adding new fields [${this.pending.length}]`);
      }
    }
    if (mapper.kind === "object") {
      if (value === null) return;
      if (!isObject(value)) {
        throw mapperParsing(`object mapping for [${mapper.path}] tried to parse field [${name}] as object, but found a concrete value`);
      }
      if (!mapper.enabled) return;
      const next: ObjectChain = { obj, parent: chain };
      for (const k in value) this.walk(mapper, next, k, value[k]);
      return;
    }
    if (value !== null && typeof value === "object") {
      throw mapperParsing(`failed to parse field [${mapper.path}] of type [${mapper.type}] in document with id '${this.id}'. Preview of field's value: '${preview(value)}'`, {
        type: "illegal_state_exception",
        reason: `Can't get text on a START_OBJECT`,
      });
    }
    this.addValue(mapper, value);
  }
}

interface ObjectChain {
  obj: ObjectMapper;
  parent: ObjectChain | null;
}
